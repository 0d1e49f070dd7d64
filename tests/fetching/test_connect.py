"""The guarded transport checks the address it actually connects to (DNS rebinding)."""

from __future__ import annotations

import httpx
import pytest

from ingest.fetching import FetchOutcome
from ingest.fetching.connect import guarded_transport
from ingest.fetching.guard import Resolver
from tests.fetching.conftest import FakeTime, open_fetcher, policy, stub_resolver
from tests.fetching.server import LoopbackServer, Reply

pytestmark = pytest.mark.anyio

PAGE = b"<p>live</p>"


def rebinding_resolver(host: str, answers: list[list[str]]) -> Resolver:
    """A hostile DNS server for ``host``: each lookup gets the next answer (the last repeats)."""
    calls = 0

    async def resolve(name: str) -> list[str]:
        nonlocal calls
        assert name == host
        answer = answers[min(calls, len(answers) - 1)]
        calls += 1
        return answer

    return resolve


async def test_a_name_rebound_to_loopback_after_the_check_is_not_connected(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    """The guard's lookup sees a public address, the connection's a loopback one.
    Before the guarded transport, httpx resolved ``localhost`` itself and the
    request reached the server; now the connection is refused."""
    server.routes["/live"] = Reply(200, body=PAGE)
    resolver = rebinding_resolver("localhost", [["93.184.216.34"], ["127.0.0.1"]])
    fetch_policy = policy(allow_private_addresses=False, retries=0)
    async with open_fetcher(fake_time, fetch_policy, resolver=resolver) as fetcher:
        result = await fetcher.fetch(f"http://localhost:{server.port}/live")
    assert result.outcome is FetchOutcome.NETWORK_ERROR
    assert result.error is not None
    assert "refused to connect to localhost: 127.0.0.1 is a loopback address" in result.error
    assert "(allow_private_addresses is off)" in result.error
    assert server.seen == []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "[::ffff:127.0.0.1]", "named.test"],
    ids=["literal", "ipv4-mapped", "name"],
)
async def test_the_transport_refuses_loopback_unless_allowed(
    server: LoopbackServer, host: str
) -> None:
    server.routes["/hook"] = Reply(200, body=b"ok")
    resolver = stub_resolver({"named.test": ["127.0.0.1"]})
    url = f"http://{host}:{server.port}/hook"
    async with httpx.AsyncClient(
        transport=guarded_transport(allow_private=False, resolver=resolver)
    ) as client:
        with pytest.raises(httpx.ConnectError, match="is a loopback address"):
            await client.post(url, content=b"{}")
    assert server.seen == []


async def test_the_transport_connects_to_the_checked_address_keeping_the_name(
    server: LoopbackServer,
) -> None:
    """With the override on, a name goes to the address our resolver gave, and the
    request still names the host (Host header; SNI for TLS)."""
    server.routes["/hook"] = Reply(200, body=b"ok")
    resolver = stub_resolver({"named.test": ["127.0.0.1"]})
    async with httpx.AsyncClient(
        transport=guarded_transport(allow_private=True, resolver=resolver)
    ) as client:
        response = await client.get(f"http://named.test:{server.port}/hook")
    assert response.status_code == 200
    assert [seen.headers["host"] for seen in server.seen] == [f"named.test:{server.port}"]


async def test_metadata_addresses_are_refused_even_with_the_override() -> None:
    resolver = stub_resolver({"meta.test": ["::ffff:169.254.169.254"]})
    async with httpx.AsyncClient(
        transport=guarded_transport(allow_private=True, resolver=resolver)
    ) as client:
        with pytest.raises(
            httpx.ConnectError, match=r"169\.254\.169\.254 is a cloud metadata"
        ) as info:
            await client.get("http://meta.test/latest/meta-data/")
    assert "allow_private_addresses" not in str(info.value)
