"""Fetching live-ticker pages politely: the ``Fetcher`` port and its adapters.

Modules, one concept each:

- ``model``: the port: :class:`Fetcher`, :class:`FetchResult`, :class:`FetchOutcome`,
  :class:`Validators`.
- ``policy``: :class:`FetchPolicy` (every knob) and :func:`make_client`.
- ``http_fetcher``: :class:`HttpFetcher`, the httpx adapter (the only module that
  sends requests).
- ``memory``: :class:`MemoryFetcher`, the in-memory adapter.
- ``guard``: the SSRF guard (the outbound-address policy of every connection);
  ``connect``: the guarded transport, which connects only to addresses it passes;
  ``robots``: robots.txt (RFC 9309); ``limiter``: the per-host limiter; ``retry``: pure
  retry and Retry-After decisions; ``decoding``: content decoding with a cap on the
  decoded bytes; ``response``: reading one response and what it means.

``fetch`` reports network and HTTP trouble as a :class:`FetchOutcome`, never as an
exception. Inside the package these failures travel as exceptions from
``errors``, which ``HttpFetcher`` turns into results (outcome in brackets)::

    FetchFailure                     [NETWORK_ERROR]
     ├── Refused                     [BLOCKED]  we chose not to send the request
     │    ├── UnsafeURL              scheme or address refused by the guard
     │    └── RobotsDisallowed       robots.txt says no
     ├── RedirectFailure             [REDIRECT_LOOP]  loop or too many hops
     ├── BadResponse                 [HTTP_ERROR]  e.g. a redirect to an invalid Location
     │    └── UnsupportedEncoding    stacked or unknown Content-Encoding
     ├── BodyTooLarge                [TOO_LARGE]
     └── Transient                   retried with backoff
          ├── TimedOut               [TIMEOUT]  connect, read or total deadline
          ├── NetworkFailure         [NETWORK_ERROR]  DNS, connect, TLS, protocol, corrupt body
          └── RobotsUnreachable      [the robots request's outcome]  RFC 9309 §2.3.1.4

HTTP error statuses are not exceptions: they are responses, classified by
``HttpFetcher._result`` and retried per ``retry.plan_retry``.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names as importers see them; at run time __getattr__ loads each
    from ingest.fetching.http_fetcher import HttpFetcher
    from ingest.fetching.memory import MemoryFetcher
    from ingest.fetching.model import Fetcher, FetchOutcome, FetchResult, Validators
    from ingest.fetching.policy import FetchPolicy, make_client

_HOMES = {
    "HttpFetcher": "ingest.fetching.http_fetcher",
    "MemoryFetcher": "ingest.fetching.memory",
    "Fetcher": "ingest.fetching.model",
    "FetchOutcome": "ingest.fetching.model",
    "FetchResult": "ingest.fetching.model",
    "Validators": "ingest.fetching.model",
    "FetchPolicy": "ingest.fetching.policy",
    "make_client": "ingest.fetching.policy",
}

__all__ = [
    "FetchOutcome",
    "FetchPolicy",
    "FetchResult",
    "Fetcher",
    "HttpFetcher",
    "MemoryFetcher",
    "Validators",
    "make_client",
]


def __getattr__(name: str) -> object:
    """Import an export's module on first use: ``ingest.fetching.model`` alone does not
    load httpx."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
