"""The fetcher's internal failures. They never leave ``HttpFetcher.fetch``.

Deep helpers (guard, redirect follower, body reader, robots check) raise these;
the fetcher turns each into a :class:`~ingest.fetching.model.FetchResult` whose
outcome is the exception's ``outcome``. The tree is drawn in the package docstring.
"""

from __future__ import annotations

from ingest.fetching.model import FetchOutcome


class FetchFailure(Exception):
    """Base: a fetch ended without a usable HTTP response; ``str(self)`` says why."""

    outcome: FetchOutcome = FetchOutcome.NETWORK_ERROR

    def __init__(
        self, message: str, *, http_status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retry_after_s = retry_after_s


class Refused(FetchFailure):
    """We decided not to send the request at all."""

    outcome = FetchOutcome.BLOCKED


class UnsafeURL(Refused):
    """The SSRF guard refused the URL: its scheme, or an address its host resolves to."""


class RobotsDisallowed(Refused):
    """robots.txt disallows the URL for our user-agent."""


class RedirectFailure(FetchFailure):
    """A redirect loop, or more redirects than the policy allows."""

    outcome = FetchOutcome.REDIRECT_LOOP


class BadResponse(FetchFailure):
    """The server answered, but unusably (a redirect with an invalid Location)."""

    outcome = FetchOutcome.HTTP_ERROR


class UnsupportedEncoding(BadResponse):
    """A ``Content-Encoding`` we do not decode: unknown, or more than one layer
    (stacked codings are how a few KB became gigabytes). Not retried."""


class BodyTooLarge(FetchFailure):
    """The decoded body grew past ``max_body_bytes``; reading stopped there."""

    outcome = FetchOutcome.TOO_LARGE


class Transient(FetchFailure):
    """Worth retrying: the network, the clock or the server may do better next time."""


class TimedOut(Transient):
    """Connect, read or total deadline exceeded."""

    outcome = FetchOutcome.TIMEOUT


class NetworkFailure(Transient):
    """DNS, connection, TLS, protocol or content-decoding trouble."""

    outcome = FetchOutcome.NETWORK_ERROR


class RobotsUnreachable(Transient):
    """robots.txt could not be read (5xx, 429, timeout, network): RFC 9309 §2.3.1.4
    says assume complete disallow, so the page is not requested. The outcome is the
    robots fetch's own (HTTP_ERROR, TIMEOUT or NETWORK_ERROR), since the cause is a
    transient server problem, not a decision of the site."""

    def __init__(
        self,
        message: str,
        *,
        outcome: FetchOutcome,
        http_status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, retry_after_s=retry_after_s)
        self.outcome = outcome
