"""docker-compose.yml agrees with the code it runs.

Docker cannot run here, so the file is checked against what it names: every command
parses with the CLI's own parser, every ``TICKERWATCH_*`` variable is a settings field
and validates, the database URL matches the database service's credentials, and the
services wait for what they need.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from sqlalchemy.engine import make_url

from tickerwatch.cli import build_parser
from tickerwatch.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "TICKERWATCH_"
# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}.
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
EXAMPLE_SECRETS = {"TICKERWATCH_ADMIN_TOKEN": "a-long-enough-admin-token"}


def _interpolate(value: str) -> str:
    """What Compose substitutes with an empty environment (and the example secrets)."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in EXAMPLE_SECRETS:
            return EXAMPLE_SECRETS[name]
        if op in (":-", "-"):
            return arg or ""
        raise AssertionError(f"${{{name}}} has no default and is not an example secret")

    return INTERPOLATION.sub(substitute, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _ours(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services running the tickerwatch image."""
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("image", "").startswith("tickerwatch")
    }


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "environment as a mapping, so anchors merge"
    return {str(k): _interpolate(str(v)) for k, v in environment.items() if k != "<<"}


def _setting_path(variable: str) -> list[str]:
    return variable.removeprefix(PREFIX).lower().split("__")


def _is_field(model: type[BaseModel], path: list[str]) -> bool:
    field = model.model_fields.get(path[0])
    if field is None:
        return False
    if len(path) == 1:
        return True
    annotation = field.annotation
    return (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and (_is_field(annotation, path[1:]))
    )


def test_the_services_are_the_documented_ones(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app", "worker"}
    assert set(_ours(compose)) == {"migrate", "app", "worker"}
    assert services["db"]["image"] == "postgres:15"
    assert services["worker"]["deploy"]["replicas"] >= 2


def test_every_command_is_one_the_cli_knows(compose: dict[str, Any]) -> None:
    parser = build_parser()
    commands = {}
    for name, service in _ours(compose).items():
        command = service["command"]
        argv = command if isinstance(command, list) else shlex.split(command)
        assert argv[0] == "tickerwatch"
        args = parser.parse_args(argv[1:])  # exits (a failure) on an unknown command
        commands[name] = args.command
    assert commands == {"migrate": "db", "app": "web", "worker": "worker"}


def test_every_variable_is_a_setting_and_validates(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, service in _ours(compose).items():
        environment = _environment(service)
        assert f"{PREFIX}STORAGE__DATABASE_URL" in environment, name
        for variable in environment:
            assert variable.startswith(PREFIX), f"{name}: {variable} is not a setting"
            assert _is_field(Settings, _setting_path(variable)), f"{name}: unknown {variable}"
        for variable in [v for v in os.environ if v.startswith(PREFIX)]:
            monkeypatch.delenv(variable)
        monkeypatch.setenv(f"{PREFIX}CONFIG", str(tmp_path / "absent.toml"))
        for variable, value in environment.items():
            monkeypatch.setenv(variable, value)
        settings = load_settings()
        assert settings.storage.resolved_url().startswith("postgresql+psycopg://"), name


def test_the_database_url_matches_the_database_service(compose: dict[str, Any]) -> None:
    db = {k: _interpolate(str(v)) for k, v in compose["services"]["db"]["environment"].items()}
    for name, service in _ours(compose).items():
        url = make_url(_environment(service)[f"{PREFIX}STORAGE__DATABASE_URL"])
        assert (url.host, url.port) == ("db", 5432), name
        assert url.username == db["POSTGRES_USER"], name
        assert url.password == db["POSTGRES_PASSWORD"], name
        assert url.database == db["POSTGRES_DB"], name


def test_services_wait_for_a_healthy_migrated_database(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "pgdata" in compose["volumes"]
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }


def test_the_app_listens_where_its_port_and_healthcheck_say(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    environment = _environment(app)
    port = environment[f"{PREFIX}WEB__PORT"]
    assert environment[f"{PREFIX}WEB__HOST"] == "0.0.0.0"
    assert any(str(mapping).endswith(f":{port}") for mapping in app["ports"])
    assert f"127.0.0.1:{port}/healthz" in " ".join(app["healthcheck"]["test"])


def test_the_image_installs_every_package(compose: dict[str, Any]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    packages = ["ingest", "diffing", "storage", "scheduler", "alerts", "web", "tickerwatch"]
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile
    assert "EXPOSE 8080" in dockerfile
