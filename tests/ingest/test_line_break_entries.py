"""A whole ticker set as one paragraph, its entries broken apart by ``<br>``s."""

from datetime import UTC, datetime

from ingest.parse import parse_page

FETCHED = datetime(2025, 1, 21, 14, 45, tzinfo=UTC)  # 15:45 in Warsaw and Berlin


def _page(lang: str, body: str) -> bytes:
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>Relacja</title>"
        f"</head><body><article><h1>Relacja na żywo</h1><div class='art-text'>{body}</div>"
        "</article></body></html>"
    ).encode()


def _read(lang: str, body: str, url: str) -> list[tuple[str, str]]:
    page = parse_page(_page(lang, body), url=url, observed_at=FETCHED)
    return [(e.time.strftime("%H:%M") if e.time else "", e.text) for e in page.entries]


def test_entries_broken_apart_by_double_line_breaks_are_entries() -> None:
    body = (
        "<p><b>15:30</b> Sejm przyjął ustawę budżetową większością głosów.<br><br>"
        "<b>14:05</b> Opozycja zgłosiła kolejne poprawki do projektu.<br><br>"
        "<b>12:40</b> Marszałek Sejmu otworzył posiedzenie z opóźnieniem.</p>"
    )
    assert _read("pl", body, "https://www.example.pl/relacja") == [
        ("15:30", "Sejm przyjął ustawę budżetową większością głosów."),
        ("14:05", "Opozycja zgłosiła kolejne poprawki do projektu."),
        ("12:40", "Marszałek Sejmu otworzył posiedzenie z opóźnieniem."),
    ]


def test_a_line_without_a_time_goes_on_the_entry_above() -> None:
    body = (
        "<p>15.30 Uhr: Der Bundestag hat den Haushalt beschlossen.<br>"
        "Die Opposition stimmte geschlossen dagegen.<br>"
        "14.05 Uhr: Die Debatte dauert länger als geplant.<br>"
        "12.40 Uhr: Die Sitzung beginnt mit Verspätung.</p>"
    )
    assert _read("de", body, "https://www.example.de/live") == [
        (
            "15:30",
            "Der Bundestag hat den Haushalt beschlossen.\n\nDie Opposition stimmte geschlossen dagegen.",
        ),
        ("14:05", "Die Debatte dauert länger als geplant."),
        ("12:40", "Die Sitzung beginnt mit Verspätung."),
    ]


def test_a_programme_of_two_times_in_an_article_is_no_ticker() -> None:
    body = (
        "<p>Das Konzert im Stadtpark findet trotz des Wetters statt.</p>"
        "<p>19.00 Uhr: Einlass<br>20.00 Uhr: Beginn des Konzerts</p>"
        "<p>Karten gibt es an der Abendkasse.</p>"
    )
    page = parse_page(_page("de", body), url="https://www.example.de/konzert", observed_at=FETCHED)
    assert page.entries == ()
