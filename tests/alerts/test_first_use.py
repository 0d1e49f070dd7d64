"""What a new user of ``tickerwatch alerts`` tripped over, each against a real SQLite
file and a loopback receiver: a new sink got changes recorded before it existed, and
``retry --all-failed`` found nothing while ``deliveries --failed`` listed eight."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alerts.alert import SinkKind
from alerts.dispatch import add_sink, dispatch
from alerts.model import NewSubscription
from alerts.sql import SqlAlertStore
from storage import SqlStore, create_engine_for
from tests.alerts.conftest import START, FakeClock, Stores, worker_for
from tests.alerts.receiver import Answer, Receiver
from tests.storage.builders import Feed, entry
from tickerwatch.bootstrap import open_store
from tickerwatch.cli import main

HOOK = "https://receiver.example.org/hooks/abc123"


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_ALERTS__POLL_INTERVAL_S", "0.05")
    # The receivers live on loopback: the documented override of the address policy.
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    return url


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """``main`` sets up logging for the process; put back what the test session had."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def store(database: str) -> Iterator[SqlStore]:
    opened = open_store(database)
    yield opened
    opened.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def deliveries(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "alerts", "deliveries", "--json", *argv)
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def texts(receiver: Receiver) -> list[str]:
    return [json.dumps(r.json(), ensure_ascii=False) for r in receiver.accepted()]


def test_a_new_sink_gets_only_changes_recorded_after_it_was_added(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, store: SqlStore
) -> None:
    """Before: the sink was sent the two entries polled before it existed."""
    feed = Feed(store, "gipfel")
    feed.poll(entry("Alte Meldung eins."), entry("Alte Meldung zwei."))
    code, out, _ = run(capsys, "alerts", "add", "webhook", receiver.url("/hook"))
    assert code == 0
    assert "gets the changes recorded from now on (--backfill" in out
    feed.poll(entry("Neue Meldung."), entry("Alte Meldung eins."), entry("Alte Meldung zwei."))
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    sent = texts(receiver)
    assert len(sent) == 1
    assert "Neue Meldung." in sent[0]
    assert "Alte Meldung" not in sent[0]


def test_backfill_also_sends_the_changes_not_handed_over_yet(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, store: SqlStore
) -> None:
    feed = Feed(store, "gipfel")
    feed.poll(entry("Alte Meldung eins."), entry("Alte Meldung zwei."))
    code, out, _ = run(
        capsys,
        "alerts",
        "add",
        "webhook",
        receiver.url("/hook"),
        "--backfill",
        "--digest-threshold",
        "0",
    )
    assert code == 0
    assert "also gets the 2 changes recorded before it" in out
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    sent = " ".join(texts(receiver))
    assert "Alte Meldung eins." in sent
    assert "Alte Meldung zwei." in sent


def test_an_older_sink_still_gets_what_was_recorded_before_a_new_one(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, store: SqlStore
) -> None:
    """Adding a sink hands the waiting changes to the sinks of their time first."""
    assert run(capsys, "alerts", "add", "webhook", receiver.url("/old"))[0] == 0
    Feed(store, "gipfel").poll(entry("Meldung vor dem zweiten Ziel."))
    assert run(capsys, "alerts", "add", "webhook", receiver.url("/new"))[0] == 0
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    assert [r.path for r in receiver.accepted()] == ["/old"]


def deliver_once(pair: Stores, clock: FakeClock) -> int:
    """One round of a real worker on ``pair`` at ``clock``; how many messages it sent."""

    async def one_round() -> int:
        async with worker_for(pair, clock, digest_threshold=0) as worker:
            return len((await worker.run_round()).decisions)

    return asyncio.run(one_round())


def test_retry_all_failed_retries_what_deliveries_failed_lists(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, database: str
) -> None:
    """Before: ``deliveries --failed`` listed eight failing deliveries (pending after a
    failed attempt) and ``retry --all-failed`` said "nothing to retry". The worker runs
    on a clock a day ahead, so the eight wait for their next attempt whatever the
    machine's pace; the receiver fails, then recovers."""
    assert run(capsys, "alerts", "add", "webhook", receiver.url("/hook"))[0] == 0
    engines = create_engine_for(database), create_engine_for(database)
    pair = Stores("sqlite", SqlStore(engines[0]), SqlAlertStore(engines[1]))
    clock = FakeClock(datetime.now(UTC) + timedelta(days=1))
    try:
        for n in range(1, 9):  # eight tickers: eight lanes, each sending its own message
            Feed(pair.store, f"ticker-{n}").poll(entry(f"Meldung Nummer {n}."))
        receiver.default = Answer(503, body=b"down for maintenance")
        assert deliver_once(pair, clock) == 8
        failed = deliveries(capsys, "--failed")
        assert len(failed) == 8
        assert {(d["status"], d["attempts"]) for d in failed} == {("pending", 1)}
        _, out, _ = run(capsys, "alerts", "deliveries", "--failed")
        assert "retry: tickerwatch alerts retry ID … or --all-failed" in out

        receiver.default = Answer(200)
        code, out, _ = run(capsys, "alerts", "retry", "--all-failed")
        assert (code, out.strip()) == (0, "queued 8 deliveries again")
        clock.advance(1)  # not as far as their backoff: the retry made them due
        assert deliver_once(pair, clock) == 8
    finally:
        pair.alerts.close()
        pair.store.close()
    assert deliveries(capsys, "--failed") == []
    assert {d["status"] for d in deliveries(capsys)} == {"delivered"}
    assert len(receiver.accepted()) == 8
    code, out, _ = run(capsys, "alerts", "retry", "--all-failed")
    assert (code, out.strip()) == (0, "nothing to retry")


def test_add_sink_is_from_now_on_in_every_adapter(stores: Stores) -> None:
    """The rule lives in :func:`alerts.dispatch.add_sink`, whatever the stores are."""
    old = stores.subscribe(SinkKind.WEBHOOK, HOOK + "/old")
    before = stores.add_entries("t1", 2)
    added = add_sink(
        stores.store, stores.alerts, NewSubscription(SinkKind.WEBHOOK, HOOK, "new"), now=START
    )
    assert (added.backfilled, added.handed_over) == (0, 2)
    assert stores.store.outbox() == ()
    late = add_sink(
        stores.store,
        stores.alerts,
        NewSubscription(SinkKind.WEBHOOK, HOOK + "/late", "late"),
        now=START,
        backfill=True,
    )
    after = stores.add_entries("t1", 1)
    assert late.backfilled == 0, "what was handed over before is not sent again"
    dispatch(stores.store, stores.alerts, now=START, limit=100)
    got = {
        s.id: sorted(d.change_id for d in stores.alerts.deliveries(subscription_id=s.id))
        for s in (old, added.subscription, late.subscription)
    }
    assert got[old.id] == sorted(c.id for c in before + after)
    assert got[added.subscription.id] == got[late.subscription.id] == [after[0].id]


def test_backfill_takes_what_waits_in_the_outbox_in_every_adapter(stores: Stores) -> None:
    waiting = stores.add_entries("t1", 3)
    added = add_sink(
        stores.store,
        stores.alerts,
        NewSubscription(SinkKind.WEBHOOK, HOOK, "backfilled"),
        now=START,
        backfill=True,
    )
    assert added.backfilled == 3
    queued = stores.alerts.deliveries(subscription_id=added.subscription.id)
    assert sorted(d.change_id for d in queued) == sorted(c.id for c in waiting)


@pytest.mark.parametrize(
    ("kind", "url", "says"),
    [
        ("slack", "https://example.org/services/T0/B0/x", "https://hooks.slack.com/services/…"),
        ("slack", "https://hooks.slack.com.example.org/services/T0/B0/x", "example.org"),
        ("slack", "http://hooks.slack.com/services/T0/B0/x", "hooks.slack.com/services"),
        ("slack", "https://hooks.slack.com/apps/T0", "hooks.slack.com/services"),
        ("discord", "https://example.org/api/webhooks/1/x", "https://discord.com/api/webhooks/…"),
        ("discord", "https://discord.com/api/v10/channels/1", "discord.com/api/webhooks"),
        ("teams", "https://example.org/workflows/x", "logic.azure.com"),
        ("googlechat", "https://example.org/v1/spaces/x/messages", "chat.googleapis.com"),
    ],
)
def test_a_hosted_platforms_sink_needs_its_url_form(
    capsys: pytest.CaptureFixture[str], kind: str, url: str, says: str
) -> None:
    """Before: any https URL was stored as a Slack or Discord sink."""
    code, _, err = run(capsys, "alerts", "add", kind, url)
    assert code == 2
    assert says in err
    assert "--any-host" in err
    assert len(err.strip().splitlines()) == 1
    assert "/x" not in err, "the URL's path is a credential"
    assert deliveries(capsys) == []
    assert json.loads(run(capsys, "alerts", "list", "--json")[1]) == []


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("slack", "https://hooks.slack.com/services/T0/B0/x"),
        ("slack", "https://hooks.slack.com/triggers/T0/1/x"),
        ("discord", "https://discord.com/api/webhooks/1/x"),
        ("discord", "https://discordapp.com/api/webhooks/1/x"),
        ("discord", "https://discord.com/api/v10/webhooks/1/x"),
        ("teams", "https://prod-01.westeurope.logic.azure.com:443/workflows/x/triggers/m"),
        ("teams", "https://tenant.webhook.office.com/webhookb2/x"),
        ("teams", "https://d1.environment.api.powerplatform.com/powerautomate/x"),
        ("googlechat", "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t"),
        ("mattermost", "https://chat.example.org/hooks/x"),
        ("ntfy", "https://ntfy.example.org/alerts"),
        ("webhook", "http://receiver.example.org/hook"),
    ],
)
def test_the_platforms_own_urls_and_self_hosted_ones_are_taken(
    capsys: pytest.CaptureFixture[str], kind: str, url: str
) -> None:
    code, _, err = run(capsys, "alerts", "add", kind, url)
    assert code == 0, err


def test_any_host_lets_a_platforms_format_go_to_a_receiver_of_ones_own(
    capsys: pytest.CaptureFixture[str], receiver: Receiver
) -> None:
    """How the tests (and self-hosted bridges) reach a loopback receiver in Slack's format;
    the outbound-address policy still applies."""
    url = receiver.url("/services/T0/B0/x")
    assert run(capsys, "alerts", "add", "slack", url)[0] == 2
    assert run(capsys, "alerts", "add", "slack", url, "--any-host")[0] == 0
    assert run(capsys, "alerts", "test", "1")[0] == 0
    assert "Test alert" in receiver.accepted()[0].json()["text"]


def test_a_refused_connection_says_so_and_what_becomes_of_it(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, database: str
) -> None:
    """Before: "ConnectError: All connection attempts failed", retried until dead with
    nothing to say that nothing listens at the sink's address."""
    assert run(capsys, "alerts", "add", "webhook", receiver.url("/hook"))[0] == 0
    port = receiver.port
    receiver.down()  # its port now refuses connections
    engines = create_engine_for(database), create_engine_for(database)
    pair = Stores("sqlite", SqlStore(engines[0]), SqlAlertStore(engines[1]))
    try:
        Feed(pair.store, "gipfel").poll(entry("Erste Meldung."))
        assert deliver_once(pair, FakeClock(datetime.now(UTC) + timedelta(days=1))) == 1
    finally:
        pair.alerts.close()
        pair.store.close()
    code, out, _ = run(capsys, "alerts", "deliveries", "--failed")
    assert code == 0
    assert f"connection refused by 127.0.0.1:{port}: nothing listens there" in out
    assert "All connection attempts failed" not in out
    assert "sink 1: a refused connection is retried with backoff until the delivery is dead" in out
    assert "tickerwatch alerts test 1" in out
