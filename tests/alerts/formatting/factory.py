"""Stored changes, alerts and messages for formatting tests, built from literal values.

The texts come from the seed case ``kim-putin-2019`` (a German live ticker), so the
scenarios show what real alerts carry: umlauts, typographic quotes, long paragraphs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from alerts.alert import Alert, Message
from diffing.classify import word_ops
from diffing.model import ChangeKind, EntryVersion, Field, HealthKind
from ingest.model import TimeSource
from storage.model import PollId, Revision, RevisionId, SnapshotId, StoredChange, TickerId
from stories import Story, StoryEntry, alert_detail, judge

BERLIN = timezone(timedelta(hours=2))
OBSERVED = datetime(2019, 4, 24, 12, 25, tzinfo=UTC)
NOW = datetime(2019, 4, 24, 12, 26, 40, tzinfo=UTC)
TICKER_ID = TickerId(7)
TICKER_NAME = "Kim trifft Putin – Live-Ticker"
SOURCE = (
    "https://www.beispiel-zeitung.test/politik/"
    "kim-jong-un-putin-gipfel-russland-live-ticker-zr-12345.html"
)
UI = "https://tickerwatch.example.test"

PANNE_TEXT = (
    "Kleine Panne bei Kim-Ankunft: Für seine Ankunft wurde am Bahnhof von Wladiwostok der "
    "rote Teppich ausgerollt. Das Problem: Sein Panzerzug, mit dem er neun Stunden zu "
    "Russlands-Präsidenten Putin rollte, hielt an der falschen Stelle."
)
PANNE_HEADLINE = "Kim-Panne vor Putin-Besuch: Panzerzug des Nordkorea-Diktators rollt zu weit"
CHASAN_TEXT = (
    "Kims gepanzerter Sonderzug erreichte am Mittwoch die russische Grenzstadt Chasan, wie "
    "russische Medien berichteten. Dort wurde der Machthaber gemäß der Tradition mit Brot "
    "und Salz begrüßt. Am Donnerstag wird er Putin in Wladiwostok im äußersten Osten "
    "Russlands treffen."
)
CHASSAN_TEXT = CHASAN_TEXT.replace("Chasan,", "Chassan,") + (
    "\n\n„Ich freue mich, auf russischem Boden zu sein“, sagte Kim bei der Ankunft."
)
PAGE_BEFORE = "Kim Jong Un in Russland eingetroffen: Panzerzug erreicht Grenzstadt Chassan"
MARKUP_TEXT = (
    "<!channel> @everyone @here *Eil* _kursiv_ ~weg~ `code` [Link](https://evil.test) "
    "<b>fett</b> & &amp; || Spoiler || 😀 👨‍👩‍👧 Grüße aus Köln – „Zitat“ 100% <@123>\n"
    "# Überschrift\n- Liste\n> Zitat\n1. Punkt"
)


def version(
    text: str,
    *,
    headline: str | None = None,
    time: datetime | None = None,
    label: str | None = None,
) -> EntryVersion:
    return EntryVersion(
        text=text,
        headline=headline,
        time=time,
        time_label=label,
        time_source=TimeSource.NONE if time is None else TimeSource.LABEL,
    )


def revision(
    content: EntryVersion, *, entry_id: str = "76f87f39b02c85c2", number: int = 1
) -> Revision:
    return Revision(
        id=RevisionId(number),
        entry_id=entry_id,
        snapshot_id=SnapshotId(number),
        observed_at=OBSERVED - timedelta(hours=number),
        version=content,
    )


def stored_change(
    kind: ChangeKind,
    *,
    previous: EntryVersion | None = None,
    current: EntryVersion | None = None,
    changed: tuple[Field, ...] = (),
    entry_id: str | None = "76f87f39b02c85c2",
    page_headline: str | None = None,
    previous_page_headline: str | None = None,
    change_id: int = 41,
) -> StoredChange:
    """A change as the store returns it; edits get the differ's own word operations."""
    ops = word_ops(previous.text, current.text) if previous and current else ()
    return StoredChange(
        id=change_id,
        ticker_id=TICKER_ID,
        poll_id=PollId(9),
        snapshot_id=SnapshotId(12),
        observed_at=OBSERVED,
        kind=kind,
        entry_id=entry_id,
        changed=changed,
        similarity=0.93 if previous and current else None,
        word_ops=ops if Field.TEXT in changed else (),
        previous=revision(previous, entry_id=entry_id or "", number=2) if previous else None,
        current=revision(current, entry_id=entry_id or "", number=3) if current else None,
        page_headline=page_headline,
        previous_page_headline=previous_page_headline,
    )


def alert(change: StoredChange, *, history: bool = True, name: str = TICKER_NAME) -> Alert:
    if change.kind.about_story:
        history_url = f"{UI}/desks/{change.desk_id}/stories/{change.story_id}"
    elif change.entry_id:
        history_url = f"{UI}/tickers/7/entries/{change.entry_id}"
    else:
        history_url = f"{UI}/tickers/7"
    return Alert(
        change=change,
        ticker_name=name,
        source_url=SOURCE,
        history_url=history_url if history else None,
    )


def message(*alerts: Alert, delivery_id: str = "delivery-7-41") -> Message:
    return Message(delivery_id=delivery_id, alerts=alerts)


def at(hour: int, minute: int) -> datetime:
    return datetime(2019, 4, 24, hour, minute, tzinfo=BERLIN)


def added() -> StoredChange:
    return stored_change(ChangeKind.ADDED, current=version(PANNE_TEXT, time=at(14, 1)))


def edited() -> StoredChange:
    return stored_change(
        ChangeKind.EDITED,
        previous=version(CHASAN_TEXT, time=at(6, 21), label="6.21 Uhr"),
        current=version(CHASSAN_TEXT, time=at(6, 21), label="6.21 Uhr"),
        changed=(Field.TEXT,),
        entry_id="025b6bb9b9f464cb",
    )


def retitled() -> StoredChange:
    return stored_change(
        ChangeKind.RETITLED,
        previous=version(PANNE_TEXT, time=at(14, 1)),
        current=version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(14, 1)),
        changed=(Field.TITLE,),
    )


def retimed() -> StoredChange:
    return stored_change(
        ChangeKind.RETIMED,
        previous=version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(14, 1)),
        current=version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(13, 58)),
        changed=(Field.TIME,),
    )


def removed() -> StoredChange:
    return stored_change(
        ChangeKind.REMOVED, previous=version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(14, 1))
    )


def restored() -> StoredChange:
    content = version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(14, 1))
    return stored_change(ChangeKind.RESTORED, previous=content, current=content)


def page_retitled() -> StoredChange:
    return stored_change(
        ChangeKind.PAGE_RETITLED,
        entry_id=None,
        page_headline=PANNE_HEADLINE,
        previous_page_headline=PAGE_BEFORE,
    )


def ticker_health() -> StoredChange:
    """The page read no entries on two polls in a row: a parse-health event."""
    return replace(
        stored_change(ChangeKind.TICKER_HEALTH, entry_id=None),
        health=HealthKind.NO_ENTRIES,
        detail="Layout changed at 12:25 UTC: 0 entries read, was 42",
    )


def _story_alert(kind: ChangeKind, own_minutes: float | None) -> StoredChange:
    """A story alert as ``tickerwatch.desking`` records it: judged by :func:`stories.judge`
    on a two-ticker story, about the competitor's entry (this ticker's), with the detail
    :func:`stories.alert_detail` writes."""
    seen = OBSERVED - timedelta(minutes=30)
    members = [StoryEntry(int(TICKER_ID), "76f87f39b02c85c2", PANNE_HEADLINE, "", seen, at(13, 54))]
    if own_minutes is not None:
        members.append(
            StoryEntry(3, "own-1", "Panzerzug", "", seen + timedelta(minutes=own_minutes))
        )
    judged = judge(
        [Story(17, tuple(members))],
        desk_id=2,
        own={3},
        competitors={int(TICKER_ID)},
        lead_minutes=10,
        window=timedelta(hours=6),
        now=OBSERVED,
        fired=(),
    ).alerts[0]
    assert judged.kind.value == kind.value
    detail = alert_detail(judged, names={7: TICKER_NAME, 3: "Unser Ticker"}, desk="Politik")
    return replace(
        stored_change(kind, current=version(PANNE_TEXT, headline=PANNE_HEADLINE, time=at(13, 54))),
        detail=detail,
        desk_id=2,
        story_id=17,
        lead_seen_minutes=judged.lead_seen_minutes,
        lead_printed_minutes=judged.lead_printed_minutes,
    )


def competitor_first() -> StoredChange:
    """A competitor had the story; our ticker did not have it ten minutes later."""
    return _story_alert(ChangeKind.COMPETITOR_FIRST, None)


def we_were_first() -> StoredChange:
    """Our ticker had the story 6 minutes before this (the competitor's) ticker."""
    return _story_alert(ChangeKind.WE_WERE_FIRST, -6.0)


def long_entry(characters: int = 10_000) -> StoredChange:
    """A new entry of ``characters`` characters of real sentences."""
    sentences = (PANNE_TEXT + " " + CHASAN_TEXT).split(". ")
    text, n = "", 0
    while len(text) < characters:
        text += sentences[n % len(sentences)].rstrip(".") + ". "
        n += 1
    return stored_change(
        ChangeKind.ADDED,
        current=version(text[:characters].rstrip(), headline="Alles zum Gipfel", time=at(9, 0)),
    )


def markup() -> StoredChange:
    previous = version(MARKUP_TEXT, headline="Ärger um <Panne> & *Sternchen*", time=at(15, 0))
    current = version(
        MARKUP_TEXT.replace("*Eil*", "**Eilmeldung**").replace("Köln", "Köln & Bonn 🎉"),
        headline="Ärger um <Panne> & *Sternchen*",
        time=at(15, 0),
    )
    return stored_change(
        ChangeKind.EDITED, previous=previous, current=current, changed=(Field.TEXT,)
    )


def digest_changes() -> tuple[StoredChange, ...]:
    return tuple(
        _renumbered(change, n)
        for n, change in enumerate((added(), edited(), retitled(), page_retitled(), removed()))
    )


def _renumbered(change: StoredChange, n: int) -> StoredChange:
    return replace(change, id=100 + n, observed_at=OBSERVED + timedelta(minutes=n))


def scenarios() -> dict[str, Message]:
    """Every golden scenario: one message each."""
    return {
        "added": message(alert(added())),
        "edited": message(alert(edited())),
        "retitled": message(alert(retitled())),
        "retimed": message(alert(retimed())),
        "removed": message(alert(removed())),
        "restored": message(alert(restored())),
        "page_retitled": message(alert(page_retitled())),
        "ticker_health": message(alert(ticker_health())),
        "competitor_first": message(alert(competitor_first())),
        "we_were_first": message(alert(we_were_first())),
        "digest": message(*(alert(c) for c in digest_changes()), delivery_id="digest-7-100"),
        "long_entry": message(alert(long_entry())),
        "markup": message(alert(markup(), history=False)),
    }


def entry(text: str, *, headline: str | None = None, entry_id: str = "e-stress") -> StoredChange:
    """A new entry with the given text (for limit and property tests)."""
    return stored_change(
        ChangeKind.ADDED,
        current=version(text, headline=headline, time=at(10, 0)),
        entry_id=entry_id,
    )


def many_changes(n: int, *, text: str = PANNE_TEXT * 3) -> tuple[StoredChange, ...]:
    """``n`` changes of distinct entries, alternating kinds, each with its own history link."""
    made: list[StoredChange] = []
    for i in range(n):
        entry_id = f"e{i:04d}"
        before = version(text, time=at(10, i % 60))
        after = version(text.replace("Panne", f"Panne {i}"), time=at(10, i % 60))
        if i % 3 == 0:
            change = stored_change(ChangeKind.ADDED, current=after, entry_id=entry_id)
        elif i % 3 == 1:
            change = stored_change(
                ChangeKind.EDITED,
                previous=before,
                current=after,
                changed=(Field.TEXT,),
                entry_id=entry_id,
            )
        else:
            change = stored_change(ChangeKind.REMOVED, previous=before, entry_id=entry_id)
        made.append(replace(change, id=1_000 + i))
    return tuple(made)
