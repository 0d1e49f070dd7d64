"""Discord webhooks (Execute Webhook): one embed per alert, coloured by kind.

An embed's author is the ticker (linking the source), its title the kind and headline
(linking the entry's history), its description the text or word diff (``~~struck~~``
deletions, ``**bold**`` insertions) followed by the history and source links, its footer
the entry's time stamp and its timestamp when the change was observed. A digest has one
embed per alert, up to 10 (the tenth counts the rest when there are more).
``allowed_mentions`` is empty, so quoted ``@everyone`` or ``<@id>`` never pings.

Limits: 10 embeds; title 256, description 4,096, footer 2,048, author 256 characters;
at most 6,000 characters over all embeds' title, description, field, footer and author
texts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import (
    DISCORD_AUTHOR_CHARS,
    DISCORD_DESCRIPTION_CHARS,
    DISCORD_EMBEDS,
    DISCORD_FOOTER_CHARS,
    DISCORD_TITLE_CHARS,
    DISCORD_TOTAL_CHARS,
    chars,
    cut_chars,
    dump,
    fit_message,
)
from alerts.formatting.markup import DISCORD, markdown_escape, markdown_url
from alerts.formatting.text import truncate
from alerts.formatting.view import AlertView, more_changes
from alerts.formatting.words import KIND_COLORS

Embed = dict[str, Any]
_LIMITS = (
    ("title", DISCORD_TITLE_CHARS),
    ("description", DISCORD_DESCRIPTION_CHARS),
)


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The webhook execution for ``message`` (``url``, ``secret`` and ``now`` unused)."""
    alerts = len(message.alerts)
    # Room for a closing embed that counts what did not fit.
    items = alerts if alerts <= DISCORD_EMBEDS else DISCORD_EMBEDS - 1
    document = fit_message(message, _message, fits, max_items=items)
    return Payload(body=dump(document), content_type="application/json")


def fits(document: dict[str, Any]) -> bool:
    """True when every embed and the embeds together keep to Discord's limits."""
    embeds: list[Embed] = document["embeds"]
    if len(embeds) > DISCORD_EMBEDS:
        return False
    for embed in embeds:
        if any(chars(embed.get(key, "")) > limit for key, limit in _LIMITS):
            return False
        if chars(embed.get("footer", {}).get("text", "")) > DISCORD_FOOTER_CHARS:
            return False
        if chars(embed.get("author", {}).get("name", "")) > DISCORD_AUTHOR_CHARS:
            return False
    return sum(embed_chars(embed) for embed in embeds) <= DISCORD_TOTAL_CHARS


def embed_chars(embed: Embed) -> int:
    """The characters of an embed that count towards the 6,000 of a message."""
    texts = [
        embed.get("title", ""),
        embed.get("description", ""),
        embed.get("footer", {}).get("text", ""),
        embed.get("author", {}).get("name", ""),
    ]
    for field in embed.get("fields", ()):
        texts += [field["name"], field["value"]]
    return sum(chars(text) for text in texts)


def _message(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    embeds = [_embed(view, budget) for view in views[:shown]]
    if shown < len(views):
        first = views[0]
        embeds.append(
            {
                "title": markdown_escape(cut_chars(more_changes(views[shown:]), 128)),
                "url": first.source_url,
                "author": _author(first),
            }
        )
    return {"embeds": embeds, "allowed_mentions": {"parse": []}}


def _embed(view: AlertView, budget: int) -> Embed:
    body = DISCORD.body(truncate(view.body, budget))
    description = f"{body}\n\n{_links(view)}" if body else _links(view)
    embed: Embed = {
        "title": markdown_escape(cut_chars(view.title, DISCORD_TITLE_CHARS // 2)),
        "url": view.link,
        "description": description,
        "color": KIND_COLORS[view.kind],
        "author": _author(view),
        "timestamp": view.observed_at.astimezone(UTC).isoformat(),
    }
    if view.time:
        embed["footer"] = {"text": f"Entry time: {view.time}"}
    return embed


def _author(view: AlertView) -> dict[str, str]:
    # Author names are plain text (no Markdown), so only cut.
    return {"name": cut_chars(view.ticker_name, DISCORD_AUTHOR_CHARS), "url": view.source_url}


def _links(view: AlertView) -> str:
    links = [f"[Source]({markdown_url(view.source_url)})"]
    if view.history_url:
        links.insert(0, f"[{view.history_label}]({markdown_url(view.history_url)})")
    return " · ".join(links)
