"""Which change events a sink gets: its :class:`~alerts.model.Rules`, checked and applied.

Pure: a :class:`Matcher` is built once from a subscription's rules (keywords compiled)
and answers for one ticker and one stored change. The text keywords are searched in is
everything the change shows: the entry's headline and text before and after (a deleted
entry's last words, both sides of an edit), or both page headlines of a page retitle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from alerts.alert import SinkKind
from alerts.errors import InvalidSubscription
from alerts.model import NewSubscription, Rules
from diffing.model import ChangeKind
from storage.model import StoredChange, Ticker

REGEX_PREFIX = "re:"
MAX_NAME_CHARS = 200
ALERTED_KINDS = tuple(k for k in ChangeKind if k.alerts)
# What a sink gets when its rules name no kinds: the news. Parse health is about the
# reader, not the story, and goes only to sinks that ask for it by name. So do the
# story alerts of desks: a sink made before a desk existed must not start getting
# desk messages (``--kinds competitor_first,we_were_first``).
DEFAULT_KINDS = tuple(
    k for k in ALERTED_KINDS if k is not ChangeKind.TICKER_HEALTH and not k.about_story
)


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """The pattern of one keyword: ``re:<regex>`` as written, anything else as a whole
    word or phrase (any run of spaces matches any run of white space). Both ignore case.
    Raises :class:`InvalidSubscription` for a blank keyword or a broken regex."""
    if keyword.startswith(REGEX_PREFIX):
        source = keyword[len(REGEX_PREFIX) :]
        if not source:
            raise InvalidSubscription(f"keyword {keyword!r}: empty regular expression")
        try:
            return re.compile(source, re.IGNORECASE)
        except re.error as error:
            raise InvalidSubscription(f"keyword {keyword!r}: {error}") from None
    words = keyword.split()
    if not words:
        raise InvalidSubscription("a keyword must not be blank")
    phrase = r"\s+".join(re.escape(w) for w in words)
    # Word boundaries by hand: \b fails next to a keyword's own punctuation ("U.S.").
    return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)


def check_rules(rules: Rules) -> None:
    """Raise :class:`InvalidSubscription` for rules that cannot work."""
    for noun, ids in (("ticker", rules.tickers), ("desk", rules.desks)):
        for row_id in ids:
            if row_id < 1:
                raise InvalidSubscription(f"not a {noun} id: {row_id}")
    for tag in rules.tags:
        if not tag.strip():
            raise InvalidSubscription("a tag must not be blank")
    for kind in rules.kinds:
        if not kind.alerts:
            raise InvalidSubscription(f"{kind.value} changes are never alerted")
    for keyword in (*rules.include, *rules.exclude):
        keyword_pattern(keyword)
    if not (0.0 <= rules.min_edit < 1.0) or math.isnan(rules.min_edit):
        raise InvalidSubscription(f"min_edit must be in [0, 1), not {rules.min_edit}")
    for name, value in (
        ("digest_window_s", rules.digest_window_s),
        ("digest_threshold", rules.digest_threshold),
        ("rate_per_minute", rules.rate_per_minute),
    ):
        if value is not None and (value < 0 or not math.isfinite(value)):
            raise InvalidSubscription(f"{name} must not be negative, not {value}")


def check_url(kind: SinkKind, url: str) -> None:
    """An Apprise sink takes any Apprise URL (``scheme://...``); every other kind an
    absolute http(s) URL. The message never repeats the URL: it is a credential."""
    if url != url.strip() or not url:
        raise InvalidSubscription("a sink URL must not be blank or carry spaces around it")
    parts = urlsplit(url)
    if kind is SinkKind.APPRISE:
        if not parts.scheme or "://" not in url:
            raise InvalidSubscription("an Apprise sink needs an Apprise URL (scheme://...)")
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidSubscription(f"a {kind.value} sink needs an http(s) URL")


def check_new_subscription(new: NewSubscription) -> None:
    """Raise :class:`InvalidSubscription` for a sink that cannot work."""
    if not new.name.strip() or len(new.name) > MAX_NAME_CHARS:
        raise InvalidSubscription(f"a sink's name must be 1 to {MAX_NAME_CHARS} characters")
    check_url(new.kind, new.url)
    if new.kind is SinkKind.MATRIX:
        if not new.secret:
            raise InvalidSubscription("a matrix sink needs its access token as the secret")
        if "/rooms/" not in urlsplit(new.url).path:
            raise InvalidSubscription(
                "a matrix sink URL is the room's API URL: "
                "https://host/_matrix/client/v3/rooms/<room id>"
            )
    if new.secret is not None and not new.secret.strip():
        raise InvalidSubscription("a secret must not be blank")
    if new.kind is SinkKind.WEBHOOK and new.secret:
        # Imported here: the signing scheme is the formatter's, and only this check needs it.
        from alerts.formatting.signing import secret_bytes

        try:
            secret_bytes(new.secret)
        except ValueError as error:
            raise InvalidSubscription(str(error)) from None
    check_rules(new.rules)


def searchable_text(change: StoredChange) -> str:
    """Everything a change shows, as one string to search keywords in."""
    if change.kind is ChangeKind.PAGE_RETITLED:
        parts: Iterable[str | None] = (change.previous_page_headline, change.page_headline)
    elif change.kind is ChangeKind.TICKER_HEALTH:
        parts = (change.detail,)
    elif change.kind.about_story:
        current = change.current.version if change.current is not None else None
        parts = (current.headline, current.text) if current is not None else ()
        parts = (*parts, change.detail)
    else:
        parts = (
            text
            for revision in (change.previous, change.current)
            if revision is not None
            for text in (revision.version.headline, revision.version.text)
        )
    return "\n".join(p for p in parts if p)


class Matcher:
    """A subscription's rules, compiled (raises :class:`InvalidSubscription` as
    :func:`check_rules` does)."""

    def __init__(self, rules: Rules) -> None:
        check_rules(rules)
        self.rules = rules
        self._tickers = frozenset(rules.tickers)
        self._tags = frozenset(t.strip().casefold() for t in rules.tags)
        self._desks = frozenset(rules.desks)
        self._kinds = frozenset(rules.kinds or DEFAULT_KINDS)
        self._include = tuple(keyword_pattern(k) for k in rules.include)
        self._exclude = tuple(keyword_pattern(k) for k in rules.exclude)

    def _selects(self, ticker: Ticker, change: StoredChange) -> bool:
        """The ticker, tag and desk rules (see :class:`~alerts.model.Rules`)."""
        if not self._tickers and not self._tags and not self._desks:
            return True
        if ticker.id in self._tickers or change.desk_id in self._desks:
            return True
        return any(tag.strip().casefold() in self._tags for tag in ticker.tags)

    def matches(self, ticker: Ticker, change: StoredChange) -> bool:
        """True when the sink gets this change of this ticker."""
        if change.ticker_id != ticker.id:
            raise ValueError(f"change {change.id} is not of ticker {ticker.id}")
        if change.kind not in self._kinds or not self._selects(ticker, change):
            return False
        if change.kind is ChangeKind.EDITED and self.rules.min_edit > 0:
            similarity = change.similarity
            if similarity is not None and 1.0 - similarity < self.rules.min_edit:
                return False
        if self._include or self._exclude:
            text = searchable_text(change)
            if self._include and not any(p.search(text) for p in self._include):
                return False
            if any(p.search(text) for p in self._exclude):
                return False
        return True
