"""Hostile request parameters never make a server error: a sweep over every route.

The app's OpenAPI document, with the HTML pages (left out of the published one) put back
in, lists every route with its path, query, header and body (form or JSON) parameters.
Each parameter in turn gets each value of :data:`HOSTILE` while every other required
one is valid; the admin token comes as a bearer header, so admin actions read their
parameters too. Every answer must be below 500. The session cookie and the CSRF token,
parameters of every page though not in the document, are swept as well.

The sweep is bounded (one value at a time, no combinations): about 4,800
requests, some 15 s, against a real SQLite database with tickers, polls, sinks and
deliveries.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from alerts.sql import SqlAlertStore
from ingest.check import LookRequest, PageCheck, Verdict
from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url
from storage.desks import DeskId
from storage.desks_sql import SqlDeskStore
from storage.story_store_memory import MemoryStoryStore
from tests.web.alerts.support import NOW, Seeded, seed
from tests.web.conftest import ADMIN_TOKEN, TestClient, config_for, login
from tests.web.stories_support import ENTRIES, file_stories
from web import create_app
from web.auth import CSRF_HEADER, SESSION_COOKIE

MAX_ID = 2**63 - 1
HOSTILE: tuple[str, ...] = (
    str(2**63),
    str(2**64),
    "-1",
    "0",
    "inf",
    "nan",
    "1e400",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00",
    "",
    "9" * 5000,
    "x" * 20_000,
    "%00",
    "\x00",
    "ü€😀\u202e",
    "²",  # a digit to str.isdigit, not to int()
    "١٢",  # Arabic-Indic digits: int() reads them
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
)
# Values only a JSON body can carry.
JSON_HOSTILE: tuple[Any, ...] = (2**63, -(2**63) - 1, 2**64, 1e308, None, True, [], {})
JSON_NUMBERS = ("Infinity", "-Infinity", "NaN")
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def refuse_to_fetch(request: LookRequest) -> PageCheck:
    """The ticker form's check, fetching nothing: the sweep must not reach the network."""
    return PageCheck(request.url, Verdict.FETCH_FAILED, "not fetched in this test")


@pytest.fixture(scope="module")
def seeded_file(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> tuple[Path, Seeded]:
    """Tickers with polls and changes, sinks with deliveries in every state."""
    path = tmp_path_factory.mktemp("hostile-params") / "template.db"
    shutil.copyfile(sqlite_template, path)
    return path, seed(sqlite_url(path))


@pytest.fixture
def app(tmp_path: Path, seeded_file: tuple[Path, Seeded]) -> Iterator[FastAPI]:
    """The app over a copy of the seeded database, with alerts and the page check."""
    path = tmp_path / "sweep.db"
    shutil.copyfile(seeded_file[0], path)
    url = sqlite_url(path)
    store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
    alerts = SqlAlertStore(create_engine_for(url))
    desks = SqlDeskStore(create_engine_for(url))
    stories = MemoryStoryStore(desks, store)
    try:
        yield create_app(
            store,
            config_for(admin_token=ADMIN_TOKEN),
            archive=archive,
            clock=lambda: NOW,
            alerts=alerts,
            checker=refuse_to_fetch,
            desks=desks,
            stories=stories,
        )
    finally:
        stories.close()
        desks.close()
        alerts.close()
        archive.close()
        store.close()


@dataclasses.dataclass(frozen=True)
class Shown(RouteContext):
    """A route as included in the app, described in the document even if hidden."""

    include_in_schema: bool = True


def api_routes(app: FastAPI) -> list[RouteContext]:
    return [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def full_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of every route, the HTML pages included."""
    routes = [
        Shown(**{f.name: getattr(c, f.name) for f in dataclasses.fields(c)})
        for c in api_routes(app)
    ]
    return get_openapi(title=app.title, version=app.version, routes=routes)


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@dataclass
class Valid:
    """A valid value for each parameter the sweep must fill in."""

    path: dict[str, str]
    query: dict[str, str] = field(default_factory=lambda: {"q": "Kim"})
    form: dict[str, str] = field(
        default_factory=lambda: {
            "url": "https://example.test/swept",
            "name": "Swept",
            "interval": "5m",
            "token": "not-the-admin-token",
        }
    )
    json: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "TickerIn": {"url": "https://example.test/swept-api"},
            "TickerPatch": {},
            "RetryIn": {"all_dead": True},
            "DeskIn": {"name": "Swept desk", "members": [{"ticker_id": 1, "own": True}]},
            "DeskPatch": {},
        }
    )


def valid_values(app: FastAPI, client: TestClient, seeded: Seeded) -> Valid:
    tickers = [t["id"] for t in client.get("/api/tickers").json()]
    ticker = client.get("/api/tickers").json()[0]
    desk = client.post(
        "/api/desks", json={"name": "Desk", "members": [{"ticker_id": ticker["id"]}]}, headers=ADMIN
    ).json()
    # The desk's stories: the story tests' entries, spread over the seeded tickers.
    entries = tuple(
        dataclasses.replace(e, ticker_id=tickers[e.ticker_id % len(tickers)]) for e in ENTRIES
    )
    state = file_stories(app.state.web.stories, DeskId(desk["id"]), entries)
    poll = client.get(f"/api/tickers/{ticker['id']}/polls").json()["items"][0]
    change = next(
        c
        for c in client.get(f"/api/tickers/{ticker['id']}/changes").json()["items"]
        if c["entry_id"]
    )
    return Valid(
        path={
            "ticker_id": str(ticker["id"]),
            "poll_id": str(poll["id"]),
            "entry_id": change["entry_id"],
            "subscription_id": str(seeded.newsroom.id),
            "delivery_id": str(seeded.dead[0]),
            "desk_id": str(desk["id"]),
            "story_id": str(max(state.stories)),
            "kind": "entries",
            "fmt": "json",
            "uri": ticker["url"],
        }
    )


@dataclass(frozen=True)
class Probe:
    """One request: what it sends, and which parameter carries which hostile value."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, bytes] = field(default_factory=dict)
    form: dict[str, str] | None = None
    body: bytes | None = None
    swept: str = ""

    def send(self, client: TestClient) -> int:
        headers: dict[str, Any] = {**ADMIN, **self.headers}
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        response = client.request(
            self.method,
            self.path,
            params=self.params,
            headers=headers,
            data=self.form,
            content=self.body,
            follow_redirects=False,
        )
        return response.status_code


def fill_path(template: str, values: dict[str, str], swept: str = "", value: str = "") -> str:
    path = template
    for name, default in values.items():
        chosen = value if name == swept else default
        path = path.replace("{" + name + "}", quote(chosen, safe="/:" if name == "uri" else ""))
    return path


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def body_schema(document: dict[str, Any], operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The body's media type and resolved schema ("" when the operation takes none)."""
    content = operation.get("requestBody", {}).get("content", {})
    for media, spec in content.items():
        return media, resolve(document, spec["schema"])
    return "", {}


def probes(document: dict[str, Any], valid: Valid) -> Iterator[Probe]:
    """Each parameter of each operation with each hostile value, the rest valid."""
    for template, method, operation in operations(document):
        parameters = operation.get("parameters", [])
        required_query = {
            p["name"]: valid.query[p["name"]]
            for p in parameters
            if p["in"] == "query" and p.get("required")
        }
        media, schema = body_schema(document, operation)
        form = {
            name: valid.form[name]
            for name in schema.get("required", [])
            if media.startswith("application/x-www-form-urlencoded")
        }
        json_body = (
            valid.json.get(schema.get("title", ""), {}) if media == "application/json" else {}
        )
        plain_body = json.dumps(json_body).encode() if media == "application/json" else None
        path = fill_path(template, valid.path)
        sent_form = form if media.startswith("application/x-www-form-urlencoded") else None
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]
            for value in HOSTILE:
                if where == "path":
                    yield Probe(
                        method,
                        fill_path(template, valid.path, name, value),
                        required_query,
                        form=sent_form,
                        body=plain_body,
                        swept=f"path {name}={value[:40]!r}",
                    )
                elif where == "query":
                    yield Probe(
                        method,
                        path,
                        {**required_query, name: value},
                        form=sent_form,
                        body=plain_body,
                        swept=f"query {name}={value[:40]!r}",
                    )
                elif where == "header":
                    yield Probe(
                        method,
                        path,
                        required_query,
                        {name: value.encode()},
                        form=sent_form,
                        body=plain_body,
                        swept=f"header {name}={value[:40]!r}",
                    )
        for name in schema.get("properties", {}):
            if media.startswith("application/x-www-form-urlencoded"):
                for value in HOSTILE:
                    yield Probe(
                        method,
                        path,
                        required_query,
                        form={**form, name: value},
                        swept=f"form {name}={value[:40]!r}",
                    )
            elif media == "application/json":
                for value in (*HOSTILE, *JSON_HOSTILE):
                    for shaped in (value, [value]):
                        yield Probe(
                            method,
                            path,
                            required_query,
                            body=json.dumps({**json_body, name: shaped}).encode(),
                            swept=f"json {name}={str(shaped)[:40]!r}",
                        )
                for number in JSON_NUMBERS:  # not JSON, but what Python's json writes
                    body = json.dumps({**json_body, name: 0}).replace(": 0", f": {number}")
                    yield Probe(
                        method, path, required_query, body=body.encode(), swept=f"json {number}"
                    )


def session_probes(csrf_cookie: str) -> Iterator[Probe]:
    """The session cookie and CSRF token: parameters of every page and admin form."""
    for value in HOSTILE:
        for forged in (
            f"{SESSION_COOKIE}={quote(value)}".encode(),
            f"{SESSION_COOKIE}={value}".encode(),
            f"{SESSION_COOKIE}=1.n.{value}".encode(),
        ):
            yield Probe("GET", "/", headers={"cookie": forged}, swept=f"cookie {value[:40]!r}")
        yield Probe(
            "POST",
            "/logout",
            headers={
                "cookie": f"{SESSION_COOKIE}={csrf_cookie}".encode(),
                CSRF_HEADER: value.encode(),
            },
            swept=f"csrf header {value[:40]!r}",
        )
        yield Probe(
            "POST",
            "/logout",
            headers={"cookie": f"{SESSION_COOKIE}={csrf_cookie}".encode()},
            form={"csrf": value},
            swept=f"csrf field {value[:40]!r}",
        )


def test_the_sweep_covers_every_route(app: FastAPI) -> None:
    document = full_document(app)
    swept = {(path, method) for path, method, _ in operations(document)}
    routed = {
        (route.path_format, method) for route in api_routes(app) for method in route.methods or ()
    }
    assert swept == routed


def test_no_hostile_parameter_makes_a_server_error(
    app: FastAPI, seeded_file: tuple[Path, Seeded]
) -> None:
    _, seeded = seeded_file
    document = full_document(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        valid = valid_values(app, client, seeded)
        # GETs first: the admin actions below change what they read.
        ordered = sorted(probes(document, valid), key=lambda p: p.method not in ("GET", "HEAD"))
        login(client)
        cookie = client.cookies[SESSION_COOKIE]
        client.cookies.clear()
        ordered += list(session_probes(cookie))
        # Whatever the admin actions stored must not break the pages that list it.
        ordered += [
            Probe("GET", p)
            for p in (
                "/",
                "/api/tickers",
                "/alerts",
                "/api/alerts",
                "/desks",
                "/api/desks",
                f"/desks/{valid.path['desk_id']}",
                f"/api/desks/{valid.path['desk_id']}/stories?min_tickers=1",
            )
        ]
        failures = [
            f"{p.method} {p.path[:80]} {p.swept}: {status}"
            for p in ordered
            if (status := p.send(client)) >= 500
        ]
    print(f"{len(ordered)} requests, {len(failures)} answered 5xx")
    assert 1000 < len(ordered) < 6000
    assert failures == []


def integer_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer a request can carry: parameters and body fields, nested ones too."""
    seen: set[str] = set()

    def walk(where: str, schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        if "$ref" in schema:
            if schema["$ref"] in seen:
                return
            seen.add(schema["$ref"])
        schema = resolve(document, schema)
        if schema.get("type") == "integer":
            yield where, schema
        for part in schema.get("anyOf", []):
            yield from walk(where, part)
        if "items" in schema:
            yield from walk(f"{where}[]", schema["items"])
        for name, inner in schema.get("properties", {}).items():
            yield from walk(f"{where}.{name}", inner)

    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            yield from walk(f"{method} {path} {parameter['name']}", parameter["schema"])
        for spec in operation.get("requestBody", {}).get("content", {}).values():
            yield from walk(f"{method} {path} body", spec["schema"])


def bounded(schema: dict[str, Any]) -> bool:
    maximum = schema.get("maximum")
    if maximum is None or "minimum" not in schema:
        return False
    # Body models' bounds are written as floats, where 2^63 - 1 rounds to 2^63.
    return bool(maximum <= (MAX_ID if isinstance(maximum, int) else float(MAX_ID)))


def test_every_integer_a_request_carries_is_bounded(app: FastAPI) -> None:
    found = list(integer_schemas(full_document(app)))
    unbounded = [where for where, schema in found if not bounded(schema)]
    assert len(found) > 20
    assert unbounded == []
