"""A time label that goes on with a headline ("<strong>2.05pm – Farage in Clacton</strong>")
gives the entry both: the clock as its time, the words after it as its headline."""

from datetime import UTC, datetime

from ingest.parse import parse_page

OBSERVED = datetime(2024, 6, 5, 13, 30, tzinfo=UTC)
BODY = "with enough words in it to be the body of the entry."


def _parse(entries: str) -> list[tuple[str | None, str | None, str]]:
    html = (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Live</title>'
        f'</head><body><main><h1>Campaign live</h1><div class="body">{entries}</div></main>'
        "</body></html>"
    )
    page = parse_page(html.encode(), url="https://www.example.co.uk/live", observed_at=OBSERVED)
    return [(e.time_label, e.headline, e.text) for e in page.entries]


def test_a_bold_line_of_time_and_headline_above_the_body() -> None:
    got = _parse(
        "".join(
            f"<p><strong>{clock} – {headline}</strong></p><p>{headline} {BODY}</p>"
            for clock, headline in (
                ("2.05pm", "No tax rises"),
                ("1.20pm", "Starmer on the NHS"),
                ("11.02am", "Farage in Clacton"),
            )
        )
    )
    assert got == [
        ("2.05pm", "No tax rises", f"No tax rises {BODY}"),
        ("1.20pm", "Starmer on the NHS", f"Starmer on the NHS {BODY}"),
        ("11.02am", "Farage in Clacton", f"Farage in Clacton {BODY}"),
    ]


def test_a_heading_of_time_and_headline_keeps_a_one_word_headline() -> None:
    got = _parse(
        "".join(
            f'<div class="e"><h3>{clock} | {headline}</h3><p>At {clock}, {BODY}</p></div>'
            for clock, headline in (("2.05pm", "Kick-off"), ("1.20pm", "Line-ups"))
        )
    )
    assert [(label, headline) for label, headline, _ in got] == [
        ("2.05pm", "Kick-off"),
        ("1.20pm", "Line-ups"),
    ]


def test_a_place_after_the_clock_is_no_headline() -> None:
    """ "<span>14:05 – Berlin</span>" is a dateline; so is one word after a bold clock."""
    clocks = ("2.05pm", "1.20pm", "11.02am")
    spans = _parse(
        "".join(
            f'<div class="e"><span class="t">{c} – Berlin</span><p>At {c}, {BODY}</p></div>'
            for c in clocks
        )
    )
    bold = _parse(
        "".join(f'<div class="e"><p><b>{c} – Paris:</b> At {c}, {BODY}</p></div>' for c in clocks)
    )
    assert [headline for _, headline, _ in spans] == [None, None, None]
    assert [headline for _, headline, _ in bold] == [None, None, None]


def test_a_bold_headline_after_the_bold_clock_in_the_same_paragraph() -> None:
    """ "<p><strong>22:05</strong> <b>Headline</b> – body</p>": the bold words set off by a
    dash are the headline; one bold word there is a dateline and stays in the text."""
    posts = (
        ("2.05pm", "Farage in Clacton", "Crowds gathered"),
        ("1.20pm", "Starmer on the NHS", "Waiting lists came up"),
        ("11.02am", "No tax rises", "The chancellor spoke"),
    )
    got = _parse(
        "".join(f"<p><strong>{c}</strong> <b>{h}</b> – {t} {BODY}</p>" for c, h, t in posts)
    )
    assert got == [(c, h, f"{t} {BODY}") for c, h, t in posts]
    places = _parse(
        "".join(
            f"<p><strong>{c}</strong> <b>{h.split()[-1]}</b> – {t} {BODY}</p>" for c, h, t in posts
        )
    )
    assert [(headline, text) for _, headline, text in places] == [
        (None, f"{h.split()[-1]} – {t} {BODY}") for _, h, t in posts
    ]
