"""Platform limits, how they are measured, and fitting a message into them.

Every formatter builds its payload from two knobs, how many of a digest's alerts it
lists and how many characters of each alert's body it keeps, and :func:`fit` picks the
largest values whose payload a predicate accepts. Limits are measured in the platform's
units: characters (counted as UTF-16 code units, never fewer than code points, so a
payload fits whether the platform counts either) or UTF-8 bytes of the request body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from alerts.alert import Message
from alerts.formatting.text import cut_words, length
from alerts.formatting.view import AlertView, message_views

T = TypeVar("T")

# Slack Block Kit (docs.slack.dev reference/block-kit): 50 blocks per message, 3,000
# characters per section or context text, 150 per header. A message whose blocks add up
# to more than about 13,000 characters is refused with msg_blocks_too_long, an
# undocumented limit (slackapi/bolt-js#2509), so we stay well below it.
SLACK_BLOCKS = 50
SLACK_SECTION_CHARS = 3_000
SLACK_HEADER_CHARS = 150
SLACK_TOTAL_CHARS = 12_000
SLACK_FALLBACK_CHARS = 3_000  # the top-level text: a notification line, not the message

# Mattermost: a post holds 16,383 characters (the server's default maximum post size).
MATTERMOST_CHARS = 16_383

# Discord Execute Webhook: content 2,000; up to 10 embeds; embed title 256, description
# 4,096, 25 fields (name 256, value 1,024), footer 2,048, author name 256; the title,
# description, field, footer and author texts of all embeds together at most 6,000.
DISCORD_EMBEDS = 10
DISCORD_TITLE_CHARS = 256
DISCORD_DESCRIPTION_CHARS = 4_096
DISCORD_FIELDS = 25
DISCORD_FIELD_NAME_CHARS = 256
DISCORD_FIELD_VALUE_CHARS = 1_024
DISCORD_FOOTER_CHARS = 2_048
DISCORD_AUTHOR_CHARS = 256
DISCORD_TOTAL_CHARS = 6_000

# Microsoft Teams refuses messages over about 28 KB ("Request entity too large").
TEAMS_BYTES = 27_000

# Google Chat: 32,000 bytes per message, 4,096 characters of text.
GOOGLECHAT_BYTES = 32_000
GOOGLECHAT_TEXT_CHARS = 4_096

# Matrix: an event is at most 65,536 bytes in federation format, which wraps the content
# in the room id, sender, hashes, signatures and DAG references; we keep the content to
# three quarters of that.
MATRIX_BYTES = 48_000

# ntfy: a message body over 4,096 bytes is turned into an attachment by ntfy.sh.
NTFY_MESSAGE_BYTES = 4_096
NTFY_TITLE_CHARS = 250

# Apprise applies each service's own cap and overflow rule; ours only keeps a digest sane.
APPRISE_CHARS = 32_000

# How much text one alert shows at most, where the platform would take more: a chat
# message is a notice, and the entry's history page has all of it.
ALERT_CHARS = 3_000
# How much of each alert a digest item shows at most: a digest lists, it does not quote.
DIGEST_ITEM_CHARS = 280


def body_budget(body_length: int, *, digest: bool) -> int:
    """The most body text an alert of a message may show before platform limits."""
    return DIGEST_ITEM_CHARS if digest else min(body_length, ALERT_CHARS)


def chars(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def dump(document: Any) -> bytes:
    """The wire form of a JSON body: UTF-8, no ASCII escaping, no spaces."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cut_chars(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units at a word boundary with "…"
    (for single fields such as titles, which have fixed limits of their own)."""
    while chars(text) > limit:
        text = cut_words(text, len(text) - max(1, chars(text) - limit))
    return text


class PayloadTooLarge(ValueError):
    """Even the shortest form of a message (one alert, no body text) exceeds a platform
    limit: only absurdly long URLs or ticker names can cause this."""


def fit(
    build: Callable[[int, int], T],
    fits: Callable[[T], bool],
    *,
    items: int,
    budget: int,
) -> T:
    """The payload ``build(shown, chars)`` with the most items (1..``items``) that fit
    with no body text, then the largest body budget (0..``budget``) that still fits.

    ``build`` must grow with both arguments; both are found by bisection, so a digest of
    hundreds of alerts costs a few dozen builds.
    """
    if not fits(build(1, 0)):
        raise PayloadTooLarge("the message does not fit its platform's limits even empty")
    shown = _largest(lambda n: fits(build(n, 0)), 1, items)
    best = _largest(lambda b: fits(build(shown, b)), 0, budget)
    return build(shown, best)


def fit_message(
    message: Message,
    build: Callable[[tuple[AlertView, ...], int, int], T],
    fits: Callable[[T], bool],
    *,
    max_items: int,
) -> T:
    """``message`` laid out by ``build(views, shown, chars)``, as large as ``fits``
    allows: the views of its alerts, the body budget of a single alert or of a digest
    item (:func:`body_budget`), and :func:`fit` over at most ``max_items`` alerts. The
    one path from a message to a platform's document; only the layout, the limits and
    the wrapping into a :class:`~alerts.alert.Payload` are the platform's."""
    views = message_views(message)
    budget = body_budget(length(views[0].body), digest=len(views) > 1)
    return fit(
        lambda shown, chars_: build(views, shown, chars_),
        fits,
        items=min(len(views), max_items),
        budget=budget,
    )


def _largest(ok: Callable[[int], bool], low: int, high: int) -> int:
    """The largest value in [low, high] for which ``ok`` holds, given ``ok(low)``."""
    if ok(high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if ok(middle):
            low = middle
        else:
            high = middle
    return low
