"""Several delivery workers on one database: no delivery is sent twice, lanes keep order.

Each worker has its own engine (its own connections), as separate processes would; they
run their loops concurrently against one receiver that answers slowly enough for their
claims and sends to overlap.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from alerts.alert import SinkKind
from alerts.model import DeliveryStatus
from alerts.sender import open_sender
from alerts.sql import SqlAlertStore
from storage import create_engine_for
from tests.alerts.conftest import CONFIG, Stores, _sql, make_worker
from tests.alerts.receiver import Answer, Receiver

pytestmark = pytest.mark.anyio


class RealClock:
    def __call__(self) -> datetime:
        return datetime.now(UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    pair = _sql(url, request.param)
    yield pair
    pair.alerts.close()
    pair.store.close()


async def test_workers_sharing_a_database_never_send_a_delivery_twice(
    sql_stores: Stores, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="alerts.delivery")
    assert sql_stores.url is not None
    sql_stores.subscribe(SinkKind.WEBHOOK, receiver.url("/a"))
    sql_stores.subscribe(SinkKind.WEBHOOK, receiver.url("/b"))
    for round_ in range(4):
        for n in range(6):
            sql_stores.add_entries(f"t{n}", 1 + (n + round_) % 3)
    expected = 2 * len(sql_stores.store.outbox(limit=10_000))
    receiver.default = Answer(200, delay_s=0.01)
    # Four sends at once each: no worker can hold all twelve lanes, so they must share.
    config = replace(CONFIG, max_concurrent_sends=4)
    extra = [SqlAlertStore(create_engine_for(sql_stores.url)) for _ in range(2)]
    stop = asyncio.Event()
    try:
        async with open_sender(
            timeout_s=5.0, user_agent="test", allow_private_addresses=True
        ) as sender:
            workers = [
                make_worker(sql_stores, sender, RealClock(), config, worker_id=f"w{i}", alerts=a)  # type: ignore[arg-type]
                for i, a in enumerate([sql_stores.alerts, *extra])
            ]
            await asyncio.wait_for(
                asyncio.gather(*(w.run(stop, until_empty=True) for w in workers)), timeout=60
            )
    finally:
        for store in extra:
            store.close()
    accepted = receiver.accepted()
    repeats = [k for k, n in Counter(r.webhook_id for r in accepted).items() if n > 1]
    assert repeats == []
    assert len(accepted) == expected
    by_key = {d.key: d for d in sql_stores.alerts.deliveries(limit=10_000)}
    assert {d.status for d in by_key.values()} == {DeliveryStatus.DELIVERED}
    lanes: dict[tuple[int, int], list[int]] = {}
    for request in sorted(accepted, key=lambda r: r.at):
        delivery = by_key[str(request.webhook_id)]
        lanes.setdefault((delivery.subscription_id, delivery.ticker_id), []).append(
            delivery.change_id
        )
    assert all(sent == sorted(sent) for sent in lanes.values())
    busy = Counter(getattr(r, "worker", None) for r in caplog.records if "delivered" in r.message)
    assert len(busy) >= 2, f"the work was not shared: {busy}"
