"""Absolute URLs of the UI's resources, for feeds, TimeMaps, exports and API links.

One place spells every path, so the routes, the templates and the documents that
leave the server (Atom, link-format, JSON) agree. The base is ``[web] base_url`` or,
when that is not set, the URL the request came in on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class Links:
    base: str  # scheme, host and path prefix, without a trailing slash

    def _url(self, path: str, **query: str | int | None) -> str:
        params = {k: v for k, v in query.items() if v is not None}
        return self.base + path + (f"?{urlencode(params)}" if params else "")

    def static(self, name: str) -> str:
        return self._url(f"/static/{name}")

    def home(self) -> str:
        return self._url("/")

    def ticker(self, ticker_id: int) -> str:
        return self._url(f"/tickers/{ticker_id}")

    def entry(self, entry_id: str, change_id: int | None = None) -> str:
        anchor = f"#change-{change_id}" if change_id is not None else ""
        return self._url(f"/entries/{quote(entry_id, safe='')}") + anchor

    def as_of(self, ticker_id: int, at: str | None = None) -> str:
        return self._url(f"/tickers/{ticker_id}/as-of", at=at)

    def raw(self, ticker_id: int, poll_id: int) -> str:
        return self._url(f"/tickers/{ticker_id}/polls/{poll_id}/raw")

    def download(self, ticker_id: int, poll_id: int) -> str:
        return self._url(f"/tickers/{ticker_id}/polls/{poll_id}/download")

    def timegate(self, ticker_id: int) -> str:
        return self._url(f"/tickers/{ticker_id}/timegate")

    def timemap(self, ticker_id: int) -> str:
        return self._url(f"/tickers/{ticker_id}/timemap")

    def feed(self, ticker_id: int | None = None) -> str:
        if ticker_id is None:
            return self._url("/feed.atom")
        return self._url(f"/tickers/{ticker_id}/feed.atom")

    def api_ticker(self, ticker_id: int) -> str:
        return self._url(f"/api/tickers/{ticker_id}")

    def desks(self) -> str:
        return self._url("/desks")

    def desk_edit(self, desk_id: int) -> str:
        return self._url(f"/desks/{desk_id}/edit")

    def api_desk(self, desk_id: int) -> str:
        return self._url(f"/api/desks/{desk_id}")

    def desk(self, desk_id: int) -> str:
        return self._url(f"/desks/{desk_id}")

    def desk_story(self, desk_id: int, story_id: int) -> str:
        return self._url(f"/desks/{desk_id}/stories/{story_id}")

    def desk_stories_export(self, desk_id: int, fmt: str) -> str:
        """``fmt``: ``csv``, ``json`` or ``atom`` (the feed)."""
        return self._url(f"/desks/{desk_id}/stories.{fmt}")

    def api_desk_stories(self, desk_id: int) -> str:
        return self._url(f"/api/desks/{desk_id}/stories")

    def api_desk_story(self, desk_id: int, story_id: int) -> str:
        return self._url(f"/api/desks/{desk_id}/stories/{story_id}")

    def api_entry(self, entry_id: str) -> str:
        return self._url(f"/api/entries/{quote(entry_id, safe='')}")


def next_page(
    links: Links, path: str, query: Sequence[tuple[str, str]], *, offset: int, limit: int
) -> str:
    """The URL of the listing page after ``offset``/``limit``, on the configured base."""
    kept = [(k, v) for k, v in query if k not in ("offset", "limit")]
    kept += [("offset", str(offset + limit)), ("limit", str(limit))]
    return f"{links.base}{path}?{urlencode(kept)}"
