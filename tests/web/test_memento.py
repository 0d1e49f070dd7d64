"""Memento (RFC 7089): the TimeGate's choice and headers, the TimeMap, the Mementos'
own headers; over the seed case's twelve captures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.web.conftest import TestClient
from tests.web.test_api import SEED_URL
from web.memento import Link, Memento, closest, memento_links, timemap
from web.timefmt import BadInstant, http_date, parse_http_date

T0 = datetime(2019, 4, 23, 7, 15, tzinfo=UTC)


def mementos(*minutes: int) -> list[Memento]:
    return [Memento(f"m{m}", T0 + timedelta(minutes=m)) for m in minutes]


@pytest.mark.parametrize(
    ("at_minute", "chosen"),
    [(-100, "m0"), (0, "m0"), (4, "m0"), (5, "m0"), (6, "m10"), (10, "m10"), (999, "m30")],
)
def test_the_closest_memento_wins_and_a_tie_goes_to_the_earlier(
    at_minute: int, chosen: str
) -> None:
    assert closest(mementos(0, 10, 30), T0 + timedelta(minutes=at_minute)).uri == chosen


def test_http_dates() -> None:
    assert http_date(T0) == "Tue, 23 Apr 2019 07:15:00 GMT"
    assert parse_http_date("Tue, 23 Apr 2019 07:15:00 GMT") == T0
    for bad in ("yesterday", "Tue, 23 Apr 2019 09:15:00 +0200", ""):
        with pytest.raises(BadInstant):
            parse_http_date(bad)


def test_timemap_format() -> None:
    body = timemap(
        original="https://t.test/live", timegate="G", self_uri="T", mementos=mementos(0, 10)
    )
    assert body.splitlines() == [
        '<https://t.test/live>; rel="original",',
        '<G>; rel="timegate",',
        '<T>; rel="self"; type="application/link-format"; from="Tue, 23 Apr 2019 07:15:00 GMT"; '
        'until="Tue, 23 Apr 2019 07:25:00 GMT",',
        '<m0>; rel="first memento"; datetime="Tue, 23 Apr 2019 07:15:00 GMT",',
        '<m10>; rel="last memento"; datetime="Tue, 23 Apr 2019 07:25:00 GMT"',
    ]
    single = timemap(original="o", timegate="g", self_uri="t", mementos=mementos(0))
    assert 'rel="first last memento"' in single


def test_memento_links_name_the_neighbours() -> None:
    three = mementos(0, 10, 20)
    links = memento_links(original="o", timegate="g", timemap="t", mementos=three, current=three[1])
    rels = {link.uri: link.rel for link in links}
    assert rels == {
        "o": "original",
        "g": "timegate",
        "t": "timemap",
        "m0": "first prev memento",
        "m20": "last next memento",
    }
    assert Link("a>b", "memento").render() == '<a%3Eb>; rel="memento"'


def test_the_timegate_redirects_to_the_closest_capture(client: TestClient) -> None:
    response = client.get(
        "/tickers/1/timegate",
        headers={"Accept-Datetime": "Wed, 24 Apr 2019 12:30:00 GMT"},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["vary"] == "accept-datetime"
    link = response.headers["link"]
    assert f'<{SEED_URL}>; rel="original"' in link
    assert '/tickers/1/timemap>; rel="timemap"; type="application/link-format"' in link
    memento = client.get(response.headers["location"])
    # 14:30 Berlin lies between 0007.html (14:35) and 0006.html (14:06): 14:35 is closer.
    assert memento.headers["memento-datetime"] == "Wed, 24 Apr 2019 12:35:00 GMT"
    assert f'<{SEED_URL}>; rel="original"' in memento.headers["link"]
    assert 'rel="timegate"' in memento.headers["link"]
    assert 'rel="prev memento"' in memento.headers["link"]
    latest = client.get("/tickers/1/timegate", follow_redirects=False)
    assert client.get(latest.headers["location"]).headers["memento-datetime"] == (
        "Thu, 25 Apr 2019 05:45:00 GMT"
    )


def test_a_bad_accept_datetime_is_refused(client: TestClient) -> None:
    response = client.get("/tickers/1/timegate", headers={"Accept-Datetime": "last Tuesday"})
    assert response.status_code == 400
    assert response.headers["vary"] == "accept-datetime"


def test_the_timemap_lists_every_capture(client: TestClient) -> None:
    response = client.get("/tickers/1/timemap")
    assert response.headers["content-type"].startswith("application/link-format")
    lines = response.text.splitlines()
    assert lines[0] == f'<{SEED_URL}>; rel="original",'
    mementos = [line for line in lines if "memento" in line]
    assert len(mementos) == 12
    assert 'rel="first memento"; datetime="Tue, 23 Apr 2019 07:15:00 GMT"' in mementos[0]
    assert 'rel="last memento"' in mementos[-1]


def test_memento_by_the_original_url(client: TestClient) -> None:
    timemap_text = client.get(f"/timemap/link/{SEED_URL}").text
    assert timemap_text == client.get("/tickers/1/timemap").text
    gate = client.get(
        f"/timegate/{SEED_URL}",
        headers={"Accept-Datetime": "Tue, 23 Apr 2019 00:00:00 GMT"},
        follow_redirects=False,
    )
    assert gate.status_code == 302
    assert gate.headers["location"].endswith("/tickers/1/polls/1/raw")
    assert client.get("/timegate/https://unknown.test/x").status_code == 404
    assert client.head("/tickers/1/timemap").status_code == 200
