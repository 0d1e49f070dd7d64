"""``tickerwatch alerts …``: alert sinks, their rules, and the delivery queue.

Sink URLs are credentials: every listing shows them masked (``alerts.secrets``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from alerts.alert import SinkKind
from alerts.dispatch import add_sink
from alerts.errors import AlertError, NotPlatformUrl
from alerts.formatting import render
from alerts.model import (
    Delivery,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    QueueCounts,
    Rules,
    Subscription,
    SubscriptionId,
)
from alerts.policy import Verdict, judge
from alerts.rules import ALERTED_KINDS, check_rules
from alerts.sample import sample_message
from alerts.views import (
    counted,
    delivery_as_json,
    delivery_lines,
    rules_summary,
    subscription_as_json,
    subscription_lines,
)
from diffing.model import ChangeKind
from storage import TickerId, TickerNotFound
from storage.desks import DeskId, DeskNotFound
from tickerwatch import alerting, bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands.values import amount, count, normal_http_url, row_id
from tickerwatch.lookup import blocked_hint

if TYPE_CHECKING:
    from alerts.ports import AlertStore
    from tickerwatch.settings import Settings

KIND_NAMES = ", ".join(k.value for k in ALERTED_KINDS)
PAGE = 500  # deliveries read at a time


def _fail(message: str, code: int = 1) -> int:
    print(f"tickerwatch: {message}", file=sys.stderr)
    return code


def _now() -> datetime:
    return utc_now()


def _default_name(kind: SinkKind, url: str) -> str:
    """``slack hooks.slack.com``: the platform and the host (never the secret path)."""
    try:
        host = urlsplit(url).hostname if "://" in url else None
    except ValueError:  # an Apprise URL that is no valid URL; Apprise itself says so
        host = None
    return f"{kind.value} {host}" if host else f"{kind.value} sink"


def _listed(values: list[str] | None) -> list[str]:
    """Values given as repeated options and/or comma-separated."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def _ids(values: list[str] | None, noun: str = "ticker") -> tuple[int, ...]:
    ids = []
    for value in _listed(values):
        try:
            ids.append(row_id(value))
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"not a {noun} id: {value!r} (ids are numbers from 1 to 2^63 - 1)"
            ) from None
    return tuple(ids)


def _kinds(values: list[str] | None) -> tuple[ChangeKind, ...]:
    kinds = []
    for value in _listed(values):
        try:
            kinds.append(ChangeKind(value))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"unknown kind {value!r} (known: {KIND_NAMES})"
            ) from None
    return tuple(kinds)


def _share(value: str) -> float:
    try:
        share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {value!r} (e.g. 0.05 or 5%)") from None
    if not 0 <= share < 1:
        raise argparse.ArgumentTypeError("a minimum edit is a share from 0 to below 1 (or 100%)")
    return share


def rules_from_args(args: argparse.Namespace) -> Rules:
    return Rules(
        tickers=_ids(args.tickers),
        tags=tuple(_listed(args.tag)),
        desks=_ids(args.desks, "desk"),
        kinds=_kinds(args.kinds),
        include=tuple(args.keyword or ()),
        exclude=tuple(args.exclude or ()),
        min_edit=args.min_edit or 0.0,
        digest_window_s=args.digest_window,
        digest_threshold=args.digest_threshold,
        rate_per_minute=args.rate,
    )


async def _address_refusal(url: str, settings: Settings, *, resolve_names: bool) -> str | None:
    """Why the outbound-address policy refuses this sink, with the override, or None."""
    from alerts.reach import check_sink_address  # httpx, as the sender: only when used

    try:
        await check_sink_address(
            url,
            allow_private=settings.fetch.allow_private_addresses,
            resolve_names=resolve_names,
            timeout_s=settings.fetch.connect_timeout_s,
        )
    except AlertError as error:
        hint = blocked_hint(str(error))
        return f"{error}; to allow it: {hint}" if hint else f"{error}; no setting allows it"
    return None


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from alerts.sender import check_sink_kind

    kind = SinkKind(args.kind)
    try:
        check_sink_kind(kind)
        rules = rules_from_args(args)
        check_rules(rules)
    except (AlertError, argparse.ArgumentTypeError) as error:
        return _fail(str(error), 2)
    try:
        # Apprise URLs have schemes of their own (mailto://, tgram://); every other
        # platform takes an http(s) webhook, checked strictly and in its normal form.
        url = args.url if kind is SinkKind.APPRISE else normal_http_url(args.url)
    except ValueError as error:
        return _fail(f"the sink URL is refused: {error}")
    refused = asyncio.run(_address_refusal(url, settings, resolve_names=False))
    if refused is not None:
        return _fail(refused, 2)
    database = bootstrap.database_for(settings)
    store, alerts = database.store(), database.alerts()
    try:
        for ticker_id in rules.tickers:
            store.get(TickerId(ticker_id))
        for desk_id in rules.desks:
            database.desks().get(DeskId(desk_id))
        new = NewSubscription(
            kind=kind,
            url=url,
            name=args.name or _default_name(kind, url),
            rules=rules,
            secret=args.secret,
        )
        added = add_sink(
            store, alerts, new, now=_now(), backfill=args.backfill, any_host=args.any_host
        )
    except NotPlatformUrl as error:
        return _fail(f"{error}; for a receiver of your own that takes this format: --any-host", 2)
    except (AlertError, TickerNotFound, DeskNotFound) as error:
        return _fail(str(error))
    finally:
        database.close()
    subscription = added.subscription
    if args.backfill:
        since = (
            f"also gets the {counted(added.backfilled, 'change')} recorded before it "
            "that were not handed to delivery yet"
        )
    else:
        since = "gets the changes recorded from now on (--backfill: also those waiting)"
    print(
        f"added alert sink {subscription.id}: {subscription.name} ({kind.value}, "
        f"{subscription.masked_url})\n  {rules_summary(subscription.rules)}\n  {since}\n"
        f"  try it: tickerwatch alerts test {subscription.id}"
    )
    return 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    store, alerts = alerting.open_stores(settings)
    try:
        subscriptions = alerts.subscriptions()
        counts = alerts.counts()
    finally:
        alerts.close()
        store.close()
    if args.json:
        rows = [subscription_as_json(s, counts.get(s.id, QueueCounts())) for s in subscriptions]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not subscriptions:
        print("no alert sinks yet: tickerwatch alerts add slack URL")
    for subscription in subscriptions:
        print(
            "\n".join(subscription_lines(subscription, counts.get(subscription.id, QueueCounts())))
        )
    return 0


def _cmd_test(args: argparse.Namespace, settings: Settings) -> int:
    store, alerts = alerting.open_stores(settings)
    try:
        subscription = alerts.subscription(SubscriptionId(args.id))
    except AlertError as error:
        return _fail(str(error))
    finally:
        alerts.close()
        store.close()
    return asyncio.run(_send_test(subscription, settings))


async def _send_test(subscription: Subscription, settings: Settings) -> int:
    from alerts.sender import check_sink_kind, open_sender

    now = _now()
    try:
        check_sink_kind(subscription.kind)
        payload = render(
            subscription.kind,
            sample_message(now),
            url=subscription.url,
            secret=subscription.secret,
            now=now,
        )
    except (AlertError, ValueError) as error:
        return _fail(f"sink {subscription.id}: {error}")
    refused = await _address_refusal(subscription.url, settings, resolve_names=True)
    if refused is not None:  # added before the policy, or under a looser one
        return _fail(f"sink {subscription.id}: {refused}")
    async with open_sender(
        timeout_s=settings.alerts.request_timeout_s,
        user_agent=bootstrap.USER_AGENT,
        allow_private_addresses=settings.fetch.allow_private_addresses,
    ) as sender:
        response = await sender.send(
            subscription.kind, subscription.url, payload, secret=subscription.secret
        )
    attempt = judge(response, now=_now())
    where = f"sink {subscription.id} ({subscription.masked_url})"
    if attempt.verdict is Verdict.DELIVERED:
        print(f"sent a test alert to {where}: HTTP {attempt.http_status}")
        if not subscription.enabled:
            print(f"  the sink is disabled: tickerwatch alerts enable {subscription.id}")
        return 0
    hint = {
        Verdict.GONE: "the URL is gone; alerts to it would disable the sink",
        Verdict.RATE_LIMITED: "rate limited; alerts would wait and retry",
        Verdict.REJECTED: "the sink refused the message",
        Verdict.FAILED: "alerts would be retried with backoff",
    }[attempt.verdict]
    return _fail(f"test alert to {where} failed: {attempt.error} ({hint})")


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store, alerts = alerting.open_stores(settings)
    try:
        subscription = alerts.subscription(SubscriptionId(args.id))
        counts = alerts.counts().get(subscription.id, QueueCounts())
        if (counts.pending or counts.dead) and not args.yes:
            return _fail(
                f"sink {subscription.id} ({subscription.name}) has {counts.pending} pending and "
                f"{counts.dead} dead deliveries, which removing it drops; add --yes to confirm"
            )
        alerts.remove_subscription(subscription.id)
    except AlertError as error:
        return _fail(str(error))
    finally:
        alerts.close()
        store.close()
    print(f"removed alert sink {subscription.id}: {subscription.name}")
    return 0


def _set_enabled(enabled: bool) -> Any:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        store, alerts = alerting.open_stores(settings)
        try:
            subscription = alerts.set_enabled(
                SubscriptionId(args.id),
                enabled,
                at=_now(),
                reason=None if enabled else "disabled by hand",
            )
            counts = alerts.counts().get(subscription.id, QueueCounts())
        except AlertError as error:
            return _fail(str(error))
        finally:
            alerts.close()
            store.close()
        verb = "enabled" if enabled else "disabled"
        goes = "goes" if counts.pending == 1 else "go"
        pending = counted(counts.pending, "pending delivery", "pending deliveries")
        waiting = f"; {pending} {goes} out now" if enabled else ""
        print(f"{verb} alert sink {subscription.id}: {subscription.name}{waiting}")
        return 0

    return handler


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
        return _fail("name deliveries to retry (ID …) or --all-failed", 2)
    store, alerts = alerting.open_stores(settings)
    try:
        if args.all_failed:
            failed = _failed_ids(alerts)
            changed = alerts.retry(failed, now=_now()) if failed else 0
        else:
            ids = [DeliveryId(i) for i in args.ids]
            delivered = [i for i in ids if alerts.delivery(i).status is DeliveryStatus.DELIVERED]
            if delivered:
                return _fail(f"delivery {delivered[0]} was delivered already")
            changed = alerts.retry(ids, now=_now())
    except AlertError as error:
        return _fail(str(error))
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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser(
        "alerts",
        help="alert sinks (Slack, Discord, webhooks, ...), their rules and deliveries",
        description="Send change alerts to chat webhooks. Webhook URLs are secrets: they "
        "are stored as given and only ever shown masked.",
    )
    sub = group.add_subparsers(dest="alerts_command", required=True)

    add = sub.add_parser("add", help="add an alert sink with its rules")
    add.add_argument("kind", choices=[k.value for k in SinkKind], help="the platform")
    add.add_argument("url", help="the webhook URL (or an Apprise URL for apprise)")
    add.add_argument("--name", help="a name for people")
    add.add_argument(
        "--tickers",
        action="extend",
        nargs="+",
        metavar="ID",
        help="only these tickers (ids, space- or comma-separated)",
    )
    add.add_argument("--tag", action="append", help="only tickers with this tag (repeatable)")
    add.add_argument(
        "--desks",
        action="extend",
        nargs="+",
        metavar="ID",
        help="story alerts of these desks (ids), whichever ticker was first",
    )
    add.add_argument(
        "--kinds", action="extend", nargs="+", metavar="KIND", help=f"only these: {KIND_NAMES}"
    )
    add.add_argument(
        "--keyword",
        action="append",
        help="only changes mentioning it: a whole word or phrase, any case, or re:REGEX "
        "(repeatable: any of them)",
    )
    add.add_argument(
        "--exclude", action="append", metavar="KEYWORD", help="never changes mentioning it"
    )
    add.add_argument(
        "--min-edit",
        type=_share,
        metavar="SHARE",
        help="ignore edits changing less of the text (0.05 or 5%%: typo fixes)",
    )
    add.add_argument(
        "--secret",
        help="webhook: signing secret (whsec_… or any string); matrix: the access token",
    )
    add.add_argument("--rate", type=amount, metavar="N", help="at most N messages a minute")
    add.add_argument(
        "--digest-window", type=amount, metavar="S", help="burst digest window in seconds"
    )
    add.add_argument(
        "--digest-threshold",
        type=count,
        metavar="N",
        help="changes within the window that make a digest (0: never)",
    )
    add.add_argument(
        "--any-host",
        action="store_true",
        help="slack, discord, teams, googlechat: accept a URL off the platform's own hosts "
        "(a self-hosted bridge or a test receiver that takes the platform's format)",
    )
    add.add_argument(
        "--backfill",
        action="store_true",
        help="also send the changes recorded before the sink was added that alert delivery "
        "has not handed over yet (default: only changes from now on)",
    )
    add.set_defaults(handler=_cmd_add)

    listing = sub.add_parser("list", help="the sinks, their state and queues")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_list)

    test = sub.add_parser("test", help="send a sample alert to a sink now")
    test.add_argument("id", type=row_id, metavar="ID")
    test.set_defaults(handler=_cmd_test)

    remove = sub.add_parser("remove", help="remove a sink and its deliveries")
    remove.add_argument("id", type=row_id, metavar="ID")
    remove.add_argument("--yes", action="store_true", help="also when deliveries are waiting")
    remove.set_defaults(handler=_cmd_remove)

    for name, enabled in (("enable", True), ("disable", False)):
        command = sub.add_parser(
            name,
            help="re-enable a sink (e.g. after its URL answered 404/410)"
            if enabled
            else "hold a sink's alerts until it is enabled",
        )
        command.add_argument("id", type=row_id, metavar="ID")
        command.set_defaults(handler=_set_enabled(enabled))

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
