"""``tickerwatch alerts deliveries|retry|deliver``: the delivery queue.

Each alert a sink's rules let through is a delivery; these commands list them (dead
letters first to look at), queue failed ones again and run delivery in the foreground.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from alerts.errors import AlertError
from alerts.model import Delivery, DeliveryId, DeliveryStatus, SubscriptionId
from alerts.views import counted, delivery_as_json, delivery_lines
from tickerwatch import alerting
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands.failing import fail
from tickerwatch.commands.values import count, row_id

if TYPE_CHECKING:
    from alerts.ports import AlertStore
    from tickerwatch.settings import Settings

PAGE = 500  # deliveries read at a time


def _cmd_deliveries(args: argparse.Namespace, settings: Settings) -> int:
    store, alerts = alerting.open_stores(settings)
    try:
        rows = alerts.deliveries(
            subscription_id=SubscriptionId(args.sink) if args.sink else None,
            failed=args.failed,
            limit=args.limit,
        )
    finally:
        alerts.close()
        store.close()
    if args.json:
        json.dump([delivery_as_json(d) for d in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print("no failed deliveries" if args.failed else "no deliveries yet")
        return 0
    print("\n".join(delivery_lines(rows)))
    refusing = sorted({d.subscription_id for d in rows if _refused(d)})
    if refusing:
        sinks = ", ".join(map(str, refusing))
        print(
            f"sink {sinks}: a refused connection is retried with backoff until the delivery is "
            "dead; if the URL is wrong, remove the sink and add it again "
            f"(tickerwatch alerts test {refusing[0]} checks it now)"
        )
    if any(d.failed for d in rows):
        print("retry: tickerwatch alerts retry ID … or --all-failed")
    return 0


def _refused(delivery: Delivery) -> bool:
    from alerts.sender import REFUSED

    return delivery.failed and (delivery.last_error or "").startswith(REFUSED)


def _failed_ids(alerts: AlertStore) -> list[DeliveryId]:
    """Every failed delivery (what ``deliveries --failed`` lists), read before any is
    changed: retrying turns dead ones pending, which would shift the pages."""
    found: list[DeliveryId] = []
    while True:
        page = alerts.deliveries(failed=True, limit=PAGE, offset=len(found))
        found.extend(d.id for d in page)
        if len(page) < PAGE:
            return found


def _cmd_retry(args: argparse.Namespace, settings: Settings) -> int:
    if bool(args.ids) == bool(args.all_failed):
        return fail("name deliveries to retry (ID …) or --all-failed", 2)
    store, alerts = alerting.open_stores(settings)
    try:
        if args.all_failed:
            failed = _failed_ids(alerts)
            changed = alerts.retry(failed, now=utc_now()) if failed else 0
        else:
            ids = [DeliveryId(i) for i in args.ids]
            delivered = [i for i in ids if alerts.delivery(i).status is DeliveryStatus.DELIVERED]
            if delivered:
                return fail(f"delivery {delivered[0]} was delivered already")
            changed = alerts.retry(ids, now=utc_now())
    except AlertError as error:
        return fail(str(error))
    finally:
        alerts.close()
        store.close()
    queued = counted(changed, "delivery", "deliveries")
    print(f"queued {queued} again" if changed else "nothing to retry")
    return 0


def _cmd_deliver(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch import service

    async def deliver() -> None:
        stop = asyncio.Event()
        with service.stop_on_signals(stop, finishing="the alerts being sent"):
            await alerting.deliver_alerts(settings, stop, until_empty=args.until_empty)

    asyncio.run(deliver())
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the queue commands to the ``alerts`` group's subcommands ``sub``."""
    deliveries = sub.add_parser("deliveries", help="recent deliveries, newest first")
    deliveries.add_argument(
        "--failed", action="store_true", help="only dead letters and failing ones"
    )
    deliveries.add_argument("--sink", type=row_id, metavar="ID", help="of this sink only")
    deliveries.add_argument("--limit", type=count, default=50, help="how many (default 50)")
    deliveries.add_argument("--json", action="store_true", help="print JSON")
    deliveries.set_defaults(handler=_cmd_deliveries)

    retry = sub.add_parser("retry", help="send dead (or waiting) deliveries again")
    retry.add_argument("ids", type=row_id, nargs="*", metavar="ID")
    retry.add_argument(
        "--all-failed",
        action="store_true",
        help="every failed delivery, as `deliveries --failed` lists them: dead ones are "
        "queued afresh, failing ones are sent now",
    )
    retry.set_defaults(handler=_cmd_retry)

    deliver = sub.add_parser(
        "deliver", help="run alert delivery in this process (SIGINT/SIGTERM stop it)"
    )
    deliver.add_argument(
        "--until-empty", action="store_true", help="stop once nothing is left to send"
    )
    deliver.set_defaults(handler=_cmd_deliver)
