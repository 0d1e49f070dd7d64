"""Alert sinks obey the fetcher's outbound-address policy: refused when added, when
tested and when delivered to, unless the one override allows private addresses."""

from __future__ import annotations

import pytest

from alerts.alert import Payload, SinkKind
from alerts.errors import InvalidSubscription
from alerts.reach import check_sink_address
from alerts.sender import open_sender
from tests.alerts.receiver import Receiver
from tests.alerts.test_cli import (  # noqa: F401  the CLI's autouse fixtures: a database file, logging put back
    SECRET_PART,
    _restore_logging,
    database,
    hook,
    run,
    sinks,
)
from tests.fetching.conftest import stub_resolver

OVERRIDE_ENV = "TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES"
HOSTILE = [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[::ffff:169.254.169.254]/hook", "169.254.169.254 is a cloud metadata address"),
    ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
    ("https://[fe80::1]/hook", "fe80::1 is a link-local address"),
    ("http://localhost:9/hook", "localhost resolves to 127.0.0.1 is a loopback address"),
]


@pytest.mark.parametrize(("url", "says"), HOSTILE, ids=[u for u, _ in HOSTILE])
def test_alerts_add_refuses_private_and_metadata_sinks_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    """Before: each was stored (exit 0) and ``alerts test`` connected to it."""
    monkeypatch.setenv(OVERRIDE_ENV, "false")
    code, out, err = run(capsys, "alerts", "add", "webhook", f"{url}{SECRET_PART}")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"refused the sink URL: {says}" in err
    if "metadata" not in says:  # the override never passes a metadata address
        assert "fetch.allow_private_addresses" in err
        assert f"{OVERRIDE_ENV}=true" in err
    assert sinks(capsys) == []


def test_the_override_passes_private_sinks_but_never_metadata(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OVERRIDE_ENV, "true")
    assert run(capsys, "alerts", "add", "webhook", "http://10.0.0.1/hook")[0] == 0
    code, _, err = run(capsys, "alerts", "add", "webhook", "http://[::ffff:a9fe:a9fe]/x")
    assert code == 2
    assert "169.254.169.254 is a cloud metadata address" in err
    assert "allow_private_addresses" not in err
    assert "no setting allows it" in err


def test_alerts_test_refuses_a_loopback_sink_without_connecting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    """A sink stored under the override is not tested once the override is off."""
    monkeypatch.setenv(OVERRIDE_ENV, "true")
    assert run(capsys, "alerts", "add", "slack", hook(receiver), "--any-host")[0] == 0
    monkeypatch.setenv(OVERRIDE_ENV, "false")
    code, out, err = run(capsys, "alerts", "test", "1")
    assert code == 1
    assert out == ""
    assert "sink 1: refused the sink URL: 127.0.0.1 is a loopback address" in err
    assert f"{OVERRIDE_ENV}=true" in err
    assert receiver.requests == []


@pytest.mark.anyio
async def test_delivery_refuses_to_connect_to_a_loopback_sink(receiver: Receiver) -> None:
    """The sender's own check, for sinks that slipped past ``alerts add``. Before: the
    receiver got the POST."""
    payload = Payload(body=b"{}", content_type="application/json")
    async with open_sender(
        timeout_s=2.0, user_agent="tickerwatch-test", allow_private_addresses=False
    ) as sender:
        response = await sender.send(SinkKind.WEBHOOK, receiver.url("/hook"), payload)
    assert response.status is None
    assert response.error is not None
    assert "refused to connect to 127.0.0.1: 127.0.0.1 is a loopback address" in response.error
    assert receiver.requests == []


@pytest.mark.anyio
async def test_delivery_checks_the_address_a_name_resolves_to_when_sending(
    receiver: Receiver,
) -> None:
    """A name that resolved to a public address when the sink was added and to a
    private one now (DNS rebinding) is refused at connection time."""
    resolver = stub_resolver({"hooks.test": ["127.0.0.1"]})
    url = receiver.url("/hook").replace("127.0.0.1", "hooks.test")
    payload = Payload(body=b"{}", content_type="application/json")
    async with open_sender(
        timeout_s=2.0, user_agent="t", allow_private_addresses=False, resolver=resolver
    ) as sender:
        response = await sender.send(SinkKind.WEBHOOK, url, payload)
    assert response.error is not None
    assert "hooks.test: 127.0.0.1 is a loopback address" in response.error
    assert receiver.requests == []


@pytest.mark.anyio
async def test_names_are_resolved_only_when_asked() -> None:
    resolver = stub_resolver({"intranet.test": ["10.1.2.3"]})
    await check_sink_address(
        "https://intranet.test/h",
        allow_private=False,
        resolve_names=False,
        timeout_s=1.0,
        resolver=resolver,
    )
    with pytest.raises(InvalidSubscription, match=r"intranet\.test resolves to 10\.1\.2\.3"):
        await check_sink_address(
            "https://intranet.test/h",
            allow_private=False,
            resolve_names=True,
            timeout_s=1.0,
            resolver=resolver,
        )
