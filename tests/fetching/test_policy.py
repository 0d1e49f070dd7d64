"""FetchPolicy refuses dangerous values; make_client wires the policy into httpx."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ingest.fetching import FetchPolicy, make_client
from ingest.fetching.policy import ACCEPT, accept_encoding


def test_defaults_are_polite() -> None:
    p = FetchPolicy()
    assert (p.max_redirects, p.retries, p.per_host_concurrency) == (5, 3, 2)
    assert (p.min_host_interval_s, p.honour_robots, p.allow_private_addresses) == (1.0, True, False)
    assert "+https://" in p.user_agent


@pytest.mark.parametrize(
    "overrides",
    [
        {"user_agent": "python-httpx/0.28"},  # anonymous
        {"user_agent": "  "},
        {"connect_timeout_s": 0},
        {"total_timeout_s": -1.0},
        {"max_body_bytes": 0},
        {"retries": -1},
        {"max_redirects": -1},
        {"per_host_concurrency": 0},
        {"min_host_interval_s": -0.5},
        {"proxy": "ftp://proxy.test:21"},
    ],
)
def test_dangerous_values_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"must|unsupported"):
        FetchPolicy(**overrides)  # type: ignore[arg-type]


def test_accept_encoding_offers_what_the_body_decoder_decodes() -> None:
    offered = [part.strip() for part in accept_encoding().split(",")]
    assert offered[:2] == ["gzip", "deflate"]
    assert set(offered) <= {"gzip", "deflate"}


def test_make_client_applies_the_policy() -> None:
    policy = FetchPolicy(connect_timeout_s=3.0, read_timeout_s=7.0)

    async def build() -> httpx.AsyncClient:
        async with make_client(policy) as client:
            return client

    client = asyncio.run(build())
    assert client.headers["User-Agent"] == policy.user_agent
    assert client.headers["Accept"] == ACCEPT
    assert client.timeout == httpx.Timeout(connect=3.0, read=7.0, write=7.0, pool=3.0)
    assert client.follow_redirects is False
    assert client.trust_env is False
