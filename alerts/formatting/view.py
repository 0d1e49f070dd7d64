"""What every platform shows of an alert, before any markup.

:func:`alert_view` reads a stored change and returns an :class:`AlertView`: the kind in
words, the entry's headline and time stamp, and a body of marked paragraphs (the text of
a new, restored or deleted entry; the compact word diff of an edit; old → new for a
headline or time correction; for a story alert, who was first by how many minutes).
The platform formatters only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.alert import Alert, Message
from alerts.formatting.text import (
    Mark,
    Paragraph,
    change_line,
    compact_diff,
    cut_words,
    paragraphs,
)
from alerts.formatting.words import KIND_WORDS
from diffing.model import ChangeKind, EntryVersion, Field, HealthKind, WordOp

PAGE_KINDS = frozenset({ChangeKind.PAGE_RETITLED, ChangeKind.TICKER_HEALTH})
HEALTH_HINT = "Check the page: `tickerwatch parse --explain URL` shows what the readers see."
SUMMARY_CHARS = 80  # how much of a headline-less entry's text stands in for its headline
HEADLINE_CHARS = 300  # headlines and ticker names are single lines: longer ones are cut


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert as messages show it. ``headline`` is the entry's (its last one for a
    deletion; the new page headline for a page change), else the start of its text;
    ``time`` its time stamp as shown (None when the page gives none)."""

    kind: ChangeKind
    kind_word: str
    ticker_id: int
    ticker_name: str
    source_url: str
    history_url: str | None
    headline: str | None
    time: str | None
    body: tuple[Paragraph, ...]
    observed_at: datetime

    @property
    def title(self) -> str:
        """``Kind: headline``, or the kind alone."""
        return f"{self.kind_word}: {self.headline}" if self.headline else self.kind_word

    @property
    def history_label(self) -> str:
        """What the history link opens: the entry's, the ticker's for a page change, the
        desk's story for a story alert."""
        if self.kind.about_story:
            return "Story"
        return "Ticker history" if self.kind in PAGE_KINDS else "Entry history"

    @property
    def link(self) -> str:
        """Where the alert's headline links: the entry's history, else the source."""
        return self.history_url or self.source_url


def message_views(message: Message) -> tuple[AlertView, ...]:
    """The views of a message's alerts, in order (``ValueError`` for a kind never alerted)."""
    return tuple(alert_view(alert) for alert in message.alerts)


def alert_view(alert: Alert) -> AlertView:
    change = alert.change
    if not change.kind.alerts:
        raise ValueError(f"change {change.id} is {change.kind.value}: never alerted")
    as_change = change.as_change()
    current, previous = as_change.current, as_change.previous
    shown = current or previous
    if change.kind is ChangeKind.PAGE_RETITLED:
        headline = _line(change.page_headline)
        body: tuple[Paragraph, ...] = (
            change_line(change.previous_page_headline, change.page_headline),
        )
    elif change.kind is ChangeKind.TICKER_HEALTH:
        # The detail is the message ("Layout changed at 14:05 UTC: 0 entries read, was
        # 42"); a recovery needs no hint.
        headline = _line(change.detail) or "parse health changed"
        broken = change.health is not None and change.health is not HealthKind.RECOVERED
        body = paragraphs(HEALTH_HINT) if broken else ()
    elif change.kind.about_story:
        # The competitor's entry is the headline; the detail says who was first, by
        # how many minutes on both clocks, on which desk.
        headline = _headline(shown) or _line(change.detail)
        body = paragraphs(change.detail or "")
    else:
        headline = _headline(shown)
        body = _body(change.kind, change.changed, previous, current, change.word_ops)
    return AlertView(
        kind=change.kind,
        kind_word=KIND_WORDS[change.kind],
        ticker_id=change.ticker_id,
        ticker_name=cut_words(" ".join(alert.ticker_name.split()), HEADLINE_CHARS)
        or alert.source_url,
        source_url=alert.source_url,
        history_url=alert.history_url,
        headline=headline,
        time=_time(shown) if shown else None,
        body=body,
        observed_at=change.observed_at,
    )


def _headline(version: EntryVersion | None) -> str | None:
    if version is None:
        return None
    if version.headline and version.headline.strip():
        return _line(version.headline)
    text = " ".join(version.text.split())
    return cut_words(text, SUMMARY_CHARS) if text else None


def _line(text: str | None) -> str | None:
    """A headline as one line of at most :data:`HEADLINE_CHARS` characters."""
    if text is None or not text.strip():
        return None
    return cut_words(" ".join(text.split()), HEADLINE_CHARS)


def _body(
    kind: ChangeKind,
    changed: tuple[Field, ...],
    previous: EntryVersion | None,
    current: EntryVersion | None,
    word_ops: tuple[WordOp, ...],
) -> tuple[Paragraph, ...]:
    if kind in (ChangeKind.ADDED, ChangeKind.RESTORED, ChangeKind.REMOVED) or not (
        previous and current
    ):
        shown = current or previous
        return paragraphs(shown.text) if shown else ()
    lines: list[Paragraph] = []
    if (kind is ChangeKind.RETITLED or Field.TITLE in changed) and (
        previous.headline != current.headline
    ):
        lines.append(change_line(previous.headline, current.headline, label="Headline:"))
    if (kind is ChangeKind.RETIMED or Field.TIME in changed) and _time(previous) != _time(current):
        lines.append(change_line(_time(previous), _time(current), label="Time:"))
    if kind is ChangeKind.EDITED or Field.TEXT in changed:
        diff = compact_diff(word_ops)
        if any(span.mark is not Mark.PLAIN for span in diff):
            lines.append(diff)
        elif previous.text != current.text:  # no word diff stored: show the new text
            lines.extend(paragraphs(current.text))
    return tuple(lines) or paragraphs(current.text)


def _time(version: EntryVersion) -> str | None:
    if version.time is not None:
        return format_time(version.time)
    return version.time_label.strip() or None if version.time_label else None


def format_time(moment: datetime) -> str:
    """``2019-04-25 09:12 UTC`` or ``2019-04-25 11:12 +02:00``: in the offset the page
    gave, since that is the clock its readers saw."""
    stamp = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    if offset == timedelta(0):
        return f"{stamp} UTC"
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{stamp} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def digest_heading(views: tuple[AlertView, ...]) -> str:
    """``5 changes`` for a digest."""
    return f"{len(views)} changes" if len(views) > 1 else views[0].kind_word


def more_changes(hidden: tuple[AlertView, ...]) -> str:
    """The line standing for digest items that did not fit: how many, of which kinds."""
    counts: dict[str, int] = {}
    for view in hidden:
        counts[view.kind_word] = counts.get(view.kind_word, 0) + 1
    kinds = ", ".join(f"{n} {word}" for word, n in counts.items())
    noun = "change" if len(hidden) == 1 else "changes"
    return f"… and {len(hidden)} more {noun} ({kinds})"
