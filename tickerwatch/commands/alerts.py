"""``tickerwatch alerts …``: alert sinks and their rules (the delivery queue:
:mod:`tickerwatch.commands.deliveries`).

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
    NewSubscription,
    QueueCounts,
    Subscription,
    SubscriptionId,
)
from alerts.policy import Verdict, judge
from alerts.rules import check_rules
from alerts.sample import sample_message
from alerts.views import (
    counted,
    rules_summary,
    subscription_as_json,
    subscription_lines,
)
from storage import TickerId, TickerNotFound
from storage.desks import DeskId, DeskNotFound
from tickerwatch import alerting, bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands import alert_rules, deliveries
from tickerwatch.commands.failing import fail
from tickerwatch.commands.values import normal_http_url, row_id
from tickerwatch.lookup import blocked_hint

if TYPE_CHECKING:
    from tickerwatch.settings import Settings


def _now() -> datetime:
    return utc_now()


def _default_name(kind: SinkKind, url: str) -> str:
    """``slack hooks.slack.com``: the platform and the host (never the secret path)."""
    try:
        host = urlsplit(url).hostname if "://" in url else None
    except ValueError:  # an Apprise URL that is no valid URL; Apprise itself says so
        host = None
    return f"{kind.value} {host}" if host else f"{kind.value} sink"


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
        rules = alert_rules.from_args(args)
        check_rules(rules)
    except (AlertError, argparse.ArgumentTypeError) as error:
        return fail(str(error), 2)
    try:
        # Apprise URLs have schemes of their own (mailto://, tgram://); every other
        # platform takes an http(s) webhook, checked strictly and in its normal form.
        url = args.url if kind is SinkKind.APPRISE else normal_http_url(args.url)
    except ValueError as error:
        return fail(f"the sink URL is refused: {error}")
    refused = asyncio.run(_address_refusal(url, settings, resolve_names=False))
    if refused is not None:
        return fail(refused, 2)
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
        return fail(f"{error}; for a receiver of your own that takes this format: --any-host", 2)
    except (AlertError, TickerNotFound, DeskNotFound) as error:
        return fail(str(error))
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
        return fail(str(error))
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
        return fail(f"sink {subscription.id}: {error}")
    refused = await _address_refusal(subscription.url, settings, resolve_names=True)
    if refused is not None:  # added before the policy, or under a looser one
        return fail(f"sink {subscription.id}: {refused}")
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
    return fail(f"test alert to {where} failed: {attempt.error} ({hint})")


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store, alerts = alerting.open_stores(settings)
    try:
        subscription = alerts.subscription(SubscriptionId(args.id))
        counts = alerts.counts().get(subscription.id, QueueCounts())
        if (counts.pending or counts.dead) and not args.yes:
            return fail(
                f"sink {subscription.id} ({subscription.name}) has {counts.pending} pending and "
                f"{counts.dead} dead deliveries, which removing it drops; add --yes to confirm"
            )
        alerts.remove_subscription(subscription.id)
    except AlertError as error:
        return fail(str(error))
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
            return fail(str(error))
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
    alert_rules.add_options(add)
    add.add_argument(
        "--secret",
        help="webhook: signing secret (whsec_… or any string); matrix: the access token",
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

    deliveries.register(sub)
