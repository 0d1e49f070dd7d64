"""``MemoryFetcher``: a working in-memory :class:`~ingest.fetching.model.Fetcher`.

Pages are published by URL and served like a well-behaved server would: each
version gets a fresh ETag, and a conditional fetch with the current one is
answered ``NOT_MODIFIED``. Failures can be scripted per URL. For the pipeline's
tests and for demos; no network, no sleeping.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ingest.fetching.model import NO_VALIDATORS, FetchOutcome, FetchResult, Validators


@dataclass(frozen=True, slots=True)
class _Page:
    body: bytes
    content_type: str
    etag: str


@dataclass(frozen=True, slots=True)
class _Failure:
    outcome: FetchOutcome
    error: str
    http_status: int | None
    retry_after_s: float | None


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One call to :meth:`MemoryFetcher.fetch`, as recorded for assertions."""

    url: str
    validators: Validators
    ignore_robots: bool


class MemoryFetcher:
    """Serves published pages; ``requests`` records every call in order."""

    def __init__(self, *, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._pages: dict[str, _Page] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._versions = 0
        self.requests: list[FetchRequest] = []

    def publish(
        self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> Validators:
        """Serve ``body`` at ``url`` from now on, under a new ETag (returned)."""
        self._versions += 1
        page = _Page(body, content_type, f'"v{self._versions}"')
        self._pages[url] = page
        return Validators(etag=page.etag)

    def remove(self, url: str) -> None:
        """Answer ``url`` with 404 from now on."""
        self._pages.pop(url, None)

    def fail_next(
        self,
        url: str,
        outcome: FetchOutcome,
        error: str = "scripted failure",
        *,
        http_status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        """Make the next fetch of ``url`` fail this way (calls queue up)."""
        if outcome in {FetchOutcome.OK, FetchOutcome.NOT_MODIFIED}:
            raise ValueError("fail_next takes a failure outcome")
        failure = _Failure(outcome, error, http_status, retry_after_s)
        self._failures.setdefault(url, deque()).append(failure)

    async def fetch(
        self, url: str, validators: Validators = NO_VALIDATORS, *, ignore_robots: bool = False
    ) -> FetchResult:
        """See :meth:`ingest.fetching.model.Fetcher.fetch`."""
        self.requests.append(FetchRequest(url, validators, ignore_robots))
        now = self._clock()
        queued = self._failures.get(url)
        if queued:
            failure = queued.popleft()
            return FetchResult(
                failure.outcome,
                url=url,
                final_url=url,
                fetched_at=now,
                duration_ms=0,
                http_status=failure.http_status,
                validators=validators,
                error=failure.error,
                retry_after_s=failure.retry_after_s,
            )
        page = self._pages.get(url)
        if page is None:
            return FetchResult(
                FetchOutcome.HTTP_ERROR,
                url=url,
                final_url=url,
                fetched_at=now,
                duration_ms=0,
                http_status=404,
                validators=validators,
                error="HTTP 404 Not Found",
            )
        if validators.etag == page.etag:
            return FetchResult(
                FetchOutcome.NOT_MODIFIED,
                url=url,
                final_url=url,
                fetched_at=now,
                duration_ms=0,
                http_status=304,
                content_type=page.content_type,
                validators=validators,
            )
        return FetchResult(
            FetchOutcome.OK,
            url=url,
            final_url=url,
            fetched_at=now,
            duration_ms=0,
            http_status=200,
            body=page.body,
            content_type=page.content_type,
            validators=Validators(etag=page.etag),
        )
