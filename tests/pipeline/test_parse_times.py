"""``tickerwatch parse FILE``: a saved page without a fetch time is dated by its own date,
and the output names the zone rule that decided."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tickerwatch.cli import main

PAGE_2020 = (
    "<html lang='de'><body><h1>Liveticker</h1><p>Stand: 28.09.2020</p>"
    "<p><strong>14.05 Uhr:</strong> Die letzte Meldung des Tages kam am Nachmittag.</p>"
    "<p><strong>13.40 Uhr:</strong> Eine Meldung vom frühen Nachmittag folgt hier.</p>"
    "<p><strong>9.10 Uhr:</strong> Die erste Meldung des Tages kam am Morgen.</p>"
    "</body></html>"
)


def test_a_saved_page_keeps_its_own_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "ticker.html"
    saved.write_text(PAGE_2020, encoding="utf-8")
    assert main(["parse", str(saved), "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert [e["time"] for e in page["entries"]] == [
        "2020-09-28T14:05:00+02:00",
        "2020-09-28T13:40:00+02:00",
        "2020-09-28T09:10:00+02:00",
    ]


def test_with_a_fetch_time_the_fetch_day_dates_the_labels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "ticker.html"
    saved.write_text(PAGE_2020.replace("Stand: 28.09.2020", ""), encoding="utf-8")
    code = main(["parse", str(saved), "--observed-at", "2026-12-03T14:20:00+01:00"])
    assert code == 0
    out = capsys.readouterr().out
    assert "2026-12-03 14:05" in out
    assert "times: zone Europe/Berlin" in out
