"""Chat messages for change alerts: one pure formatter per platform.

:func:`render` turns a :class:`~alerts.alert.Message` (one alert, or a digest of several
alerts of one ticker) into the :class:`~alerts.alert.Payload` a sink of a given
:class:`~alerts.alert.SinkKind` accepts: the platform's JSON (or text) with the ticker's
name and link, the kind in words (:data:`KIND_WORDS`), the entry's time stamp and
headline, its text (a compact word diff for edits, old → new for headline and time
corrections) and links to the entry's history and to the source. Every payload keeps to
its platform's documented limits, measured in the platform's units; long text is cut at a
word boundary with "…" (the links stay), and a digest too long for one message lists what
fits and says how many more changes there are.

Nothing here does I/O or reads the clock: ``now`` comes in and only stamps signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from alerts.alert import Message, Payload, SinkKind
from alerts.formatting.apprise import render as _apprise
from alerts.formatting.discord import render as _discord
from alerts.formatting.googlechat import render as _googlechat
from alerts.formatting.matrix import render as _matrix
from alerts.formatting.mattermost import render as _mattermost
from alerts.formatting.ntfy import render as _ntfy
from alerts.formatting.signing import verify_webhook
from alerts.formatting.slack import render as _slack
from alerts.formatting.teams import render as _teams
from alerts.formatting.webhook import render as _webhook
from alerts.formatting.words import KIND_WORDS

__all__ = ["KIND_WORDS", "render", "verify_webhook"]

Renderer = Callable[[Message, str, str | None, datetime], Payload]

_RENDERERS: Mapping[SinkKind, Renderer] = MappingProxyType(
    {
        SinkKind.SLACK: _slack,
        SinkKind.MATTERMOST: _mattermost,
        SinkKind.DISCORD: _discord,
        SinkKind.TEAMS: _teams,
        SinkKind.GOOGLECHAT: _googlechat,
        SinkKind.MATRIX: _matrix,
        SinkKind.NTFY: _ntfy,
        SinkKind.WEBHOOK: _webhook,
        SinkKind.APPRISE: _apprise,
    }
)


def render(
    kind: SinkKind, message: Message, *, url: str, secret: str | None, now: datetime
) -> Payload:
    """The HTTP request that delivers ``message`` to a sink of ``kind`` at ``url``.

    Pure. ``secret``: the generic webhook's signing secret (Standard Webhooks,
    ``whsec_`` + base64, or any other string used as raw bytes), the Matrix access token;
    unused elsewhere. ``now`` stamps signatures.

    Raises ``ValueError`` for a message no sink may be sent: an alert of a kind that is
    never alerted (``paged_out``), a Matrix sink without an access token, a naive ``now``.
    """
    return _RENDERERS[kind](message, url, secret, now)
