"""The seed ticker (plain text) reads exactly as a person reads it."""

import json
from datetime import UTC, datetime

from ingest.parse import parse_page
from tests.paths import SEED_TEXT
from tickerwatch.cli import main

OBSERVED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_seed_text_entries_in_page_order() -> None:
    page = parse_page(
        SEED_TEXT.read_bytes(), url="", observed_at=OBSERVED, content_type="text/plain"
    )
    assert page.not_a_ticker is None
    assert page.layout == "text"
    got = [(e.time.isoformat() if e.time else None, e.headline) for e in page.entries]
    assert got == [
        ("2019-04-25T06:33:00+02:00", None),
        (
            "2019-04-24T14:01:00+02:00",
            "Kim-Panne vor Putin-Besuch: Panzerzug des Nordkorea-Diktators rollt zu weit",
        ),
        ("2019-04-24T13:19:00+02:00", None),
        ("2019-04-24T06:21:00+02:00", None),
        (
            "2019-04-23T15:26:00+02:00",
            "Baldiges Gipfeltreffen: Besuch von Kim Jong Un bei Wladimir Putin - Termin steht fest",
        ),
        (None, None),
    ]
    six_twenty_one = page.entries[3]
    assert len(six_twenty_one.text.split("\n\n")) == 5
    first_report = page.entries[5]
    assert first_report.time_label == "(Erstmeldung)"
    assert first_report.text.startswith("Pjöngjang/Seoul - Nordkorea hat")
    # The subhead below the first report stays inside its text.
    assert "\n\nKim Jong Un will Wladimir Putin in Russland treffen\n\n" in first_report.text
    assert first_report.text.endswith("mit Dimitrij Medwedew getroffen.")
    assert page.teaser is not None
    assert page.teaser.startswith("Das Gipfeltreffen zwischen")


def test_cli_parse_json(capsys) -> None:
    assert main(["parse", str(SEED_TEXT), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"title", "layout", "not_a_ticker", "incomplete", "entries"}
    assert out["incomplete"] is None
    assert out["not_a_ticker"] is None
    assert [e["time"] for e in out["entries"]][:2] == [
        "2019-04-25T06:33:00+02:00",
        "2019-04-24T14:01:00+02:00",
    ]
    assert set(out["entries"][0]) == {"id", "time", "title", "text"}


def test_cli_parse_text_output(capsys) -> None:
    assert main(["parse", str(SEED_TEXT)]) == 0
    out = capsys.readouterr().out
    assert "2019-04-24 14:01  Kim-Panne vor Putin-Besuch" in out


def test_cli_parse_missing_file(capsys, tmp_path) -> None:
    assert main(["parse", str(tmp_path / "nope.html")]) == 2
    assert "cannot read" in capsys.readouterr().err
