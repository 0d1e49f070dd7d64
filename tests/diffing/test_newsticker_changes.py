"""Newsticker lists: items are headline links, identified by their canonical link.

A newsticker item has a headline and no body; its native id is the article's link.
Once the links recur with agreeing content they are trusted, and then a link is the
item: a changed headline on the same link is a retitle, a link moved to the top with
a newer time a retime, a link that scrolled off the end paged out, and two links are
two items however alike their headlines.
"""

from __future__ import annotations

from datetime import timedelta

from diffing.model import ChangeKind, EntryStatus, Field
from ingest.model import Entry, TimeSource
from tests.diffing.builders import Ticker, clock, entry, kinds, only

HEADLINES = [
    "Unwetter: Sturmflut an der Nordseeküste erwartet",
    "Bundestag: Debatte über die Impfpflicht beginnt",
    "Fußball: Bayern gewinnt gegen Köln mit 4:0",
    "Börse: Dax schließt mit leichtem Plus",
    "Verkehr: Bahnstrecke nach Sturm wieder frei",
    "Wetter: Glätte im Bergland am Morgen",
    "Kultur: Museum zeigt Werke von Paula Modersohn-Becker",
    "Wirtschaft: Inflation im Januar gesunken",
]


def item(n: int, time: str, *, headline: str | None = None) -> Entry:
    """Newsticker item ``n``: headline, no text, its link as the native id."""
    return entry(
        "",
        headline=headline or HEADLINES[n],
        time=time,
        source=TimeSource.MACHINE,
        native_id=f"https://www.example.test/news/item-{n}.html",
    )


def listing() -> list[Entry]:
    times = ["11:50", "11:40", "11:30", "11:20", "11:10", "11:00"]
    return [item(n, t) for n, t in enumerate(times)]


def trusted_ticker() -> Ticker:
    """A ticker that saw the list twice, so its links recur and are trusted."""
    ticker = Ticker()
    ticker.poll(*listing())
    assert kinds(ticker.poll(*listing())) == []
    return ticker


def test_a_changed_headline_on_the_same_link_is_a_retitle() -> None:
    ticker = trusted_ticker()
    shown = listing()
    shown[2] = item(2, "11:30", headline="Fußball: Bayern siegt souverän in Köln")
    change = only(ticker.poll(*shown))
    assert change.kind is ChangeKind.RETITLED
    assert change.changed == (Field.TITLE,)
    assert change.current is not None
    assert change.current.native_id == "https://www.example.test/news/item-2.html"


def test_a_rewritten_headline_is_still_a_retitle_not_added_and_removed() -> None:
    ticker = trusted_ticker()
    shown = listing()
    shown[3] = item(3, "11:20", headline="Handel: Anleger greifen bei Autowerten zu")
    assert kinds(ticker.poll(*shown)) == [ChangeKind.RETITLED]


def test_a_link_moved_to_the_top_with_a_newer_time_is_a_retime() -> None:
    ticker = trusted_ticker()
    shown = listing()
    republished = item(4, "12:15")
    change = only(ticker.poll(republished, *(e for n, e in enumerate(shown) if n != 4)))
    assert change.kind is ChangeKind.RETIMED
    assert change.changed == (Field.TIME,)
    assert change.previous is not None
    assert change.previous.time == clock("11:10")


def test_republished_with_a_new_headline_is_one_change_of_title_and_time() -> None:
    ticker = trusted_ticker()
    shown = listing()
    republished = item(5, "12:15", headline="Wetter: Glätte hält bis zum Abend an")
    change = only(ticker.poll(republished, *shown[:5]))
    assert change.kind is ChangeKind.RETITLED
    assert change.changed == (Field.TITLE, Field.TIME)


def test_items_falling_off_the_end_are_paged_out_never_removed() -> None:
    ticker = trusted_ticker()
    shown = listing()
    result = ticker.poll(item(6, "12:05"), item(7, "12:00"), *shown[:4])
    assert kinds(result, alerting_only=False) == [
        ChangeKind.ADDED,
        ChangeKind.ADDED,
        ChangeKind.PAGED_OUT,
        ChangeKind.PAGED_OUT,
    ]
    assert {s for _, s in result.statuses} == {EntryStatus.PAGED_OUT}


def test_two_links_with_the_same_headline_and_minute_are_two_items() -> None:
    # A daily item ("Kalenderblatt", "Lottozahlen") under a new link, at the same
    # minute of the day, while yesterday's link scrolls away: a new item.
    ticker = trusted_ticker()
    shown = listing()
    daily = entry(
        "",
        headline=HEADLINES[5],
        time="11:00",
        source=TimeSource.MACHINE,
        native_id="https://www.example.test/news/item-5-next-day.html",
    )
    result = ticker.poll(daily, *shown[:5], after=timedelta(days=1))
    assert kinds(result, alerting_only=False) == [ChangeKind.ADDED, ChangeKind.PAGED_OUT]


def test_a_similar_headline_under_a_new_link_is_a_new_item() -> None:
    ticker = trusted_ticker()
    shown = listing()
    follow_up = entry(
        "",
        headline="Unwetter: Sturmflut an der Ostseeküste erwartet",
        time="12:10",
        source=TimeSource.MACHINE,
        native_id="https://www.example.test/news/item-0-follow-up.html",
    )
    # The first item is gone from the top (deleted), a look-alike under a new link
    # came: not a retitle of the first one.
    result = ticker.poll(follow_up, *shown[1:])
    assert kinds(result) == [ChangeKind.ADDED, ChangeKind.REMOVED]


def test_a_drifting_relative_label_is_never_a_change() -> None:
    ticker = Ticker()

    def relative(minutes_ago: int) -> list[Entry]:
        now = ticker.now
        return [
            Entry(
                position=0,
                text="",
                headline=HEADLINES[n],
                time=now - timedelta(minutes=minutes_ago + 7 * n),
                time_label=f"vor {minutes_ago + 7 * n} Minuten",
                time_source=TimeSource.RELATIVE,
                native_id=f"https://www.example.test/news/item-{n}.html",
            )
            for n in range(5)
        ]

    ticker.poll(*relative(3))
    for minutes in (14, 26, 41):
        assert kinds(ticker.poll(*relative(minutes)), alerting_only=False) == []


def numbered(n: int, slug: str) -> str:
    """A CMS link: the slug follows the headline, the article number stays."""
    return f"https://www.example.test/news/2025/{slug}-{102400 + n}.html"


def numbered_listing() -> list[Entry]:
    times = ["11:50", "11:40", "11:30", "11:20", "11:10", "11:00"]
    return [
        entry(
            "",
            headline=HEADLINES[n],
            time=t,
            source=TimeSource.MACHINE,
            native_id=numbered(n, HEADLINES[n].split(":")[0].lower()),
        )
        for n, t in enumerate(times)
    ]


def _polled_with_third_item_as(native_id: str) -> tuple[Ticker, list[Entry]]:
    """A ticker that polled the numbered listing twice, and the listing with its third
    item retitled under ``native_id``."""
    ticker = Ticker()
    ticker.poll(*numbered_listing())
    assert kinds(ticker.poll(*numbered_listing())) == []
    shown = numbered_listing()
    shown[2] = entry(
        "",
        headline="Handball: Kiel verliert das Spitzenspiel",
        time="11:30",
        source=TimeSource.MACHINE,
        native_id=native_id,
    )
    return ticker, shown


def test_a_retitle_whose_link_slug_follows_the_headline_is_a_retitle() -> None:
    # The same article number under a new slug is the same article: its link names
    # it by the number, the words around the number only echo the old headline.
    ticker, shown = _polled_with_third_item_as(numbered(2, "handball"))
    change = only(ticker.poll(*shown))
    assert change.kind is ChangeKind.RETITLED
    assert change.current is not None
    assert change.current.native_id == numbered(2, "handball")


def test_a_new_article_number_is_a_new_item_even_at_the_same_place() -> None:
    ticker, shown = _polled_with_third_item_as(numbered(9, "fussball"))
    assert kinds(ticker.poll(*shown)) == [ChangeKind.ADDED, ChangeKind.REMOVED]
