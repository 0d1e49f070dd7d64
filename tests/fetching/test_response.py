"""The pure reading of one response, and the capped body reader, without a server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from ingest.fetching import FetchOutcome, Validators
from ingest.fetching.response import Reply, final_result, read_capped
from tests.fetching.conftest import START

OLD = Validators('"old"', "Mon, 02 Nov 2026 10:00:00 GMT")


def _reply(status: int, headers: dict[str, str] | None = None, body: bytes | None = None) -> Reply:
    return Reply(
        httpx.URL("https://news.test/live"),
        status,
        "",
        httpx.Headers(headers or {}),
        START,
        body,
    )


def test_a_304_may_refresh_the_validators() -> None:
    result = final_result("u", OLD, _reply(304, {"ETag": '"new"'}), max_retry_after_s=60)
    assert result.outcome is FetchOutcome.NOT_MODIFIED
    assert result.validators == Validators('"new"', OLD.last_modified)  # RFC 9111 §4.3.4


def test_a_200_without_validators_drops_the_old_ones() -> None:
    result = final_result("u", OLD, _reply(200, body=b"x"), max_retry_after_s=60)
    assert (result.outcome, result.body, result.validators) == (FetchOutcome.OK, b"x", Validators())


@pytest.mark.parametrize(
    ("status", "headers", "retry_after_s"),
    [
        (429, {"Retry-After": "30"}, 30.0),
        (503, {"Retry-After": "999"}, 60.0),  # capped
        (500, {"Retry-After": "30"}, None),  # only 429 and 503 ask us to wait
        (503, {}, None),
    ],
)
def test_retry_after_is_read_on_429_and_503(
    status: int, headers: dict[str, str], retry_after_s: float | None
) -> None:
    result = final_result("u", OLD, _reply(status, headers), max_retry_after_s=60)
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert result.retry_after_s == retry_after_s
    assert result.validators == OLD


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, (0, False)), (99, (99, False)), (100, (100, False)), (101, (100, True))],
)
def test_the_cap_is_inclusive(size: int, expected: tuple[int, bool]) -> None:
    async def read() -> tuple[bytes, bool]:
        chunks = [b"x" * 7] * (size // 7) + [b"x" * (size % 7)]
        stream = _Chunks(chunks)
        response = httpx.Response(200, stream=stream)  # no Content-Length: streamed
        return await read_capped(response, 100)

    body, truncated = asyncio.run(read())
    assert (len(body), truncated) == expected


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
