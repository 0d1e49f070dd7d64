"""Sinks and deliveries as people and programs see them: one-line rule summaries and the
JSON documents of ``tickerwatch alerts list|deliveries --json`` (and of the API). Pure;
URLs and secrets appear only masked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from alerts.model import (
    Delivery,
    DeliveryStatus,
    QueueCounts,
    Rules,
    Subscription,
    SubscriptionId,
)
from alerts.secrets import mask_secret


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 change``, ``2 changes``, ``0 deliveries`` (``plural`` when not noun + s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def rules_summary(rules: Rules) -> str:
    parts = []
    if rules.tickers or rules.tags or rules.desks:
        who = [f"tickers {', '.join(map(str, rules.tickers))}"] if rules.tickers else []
        who += [f"tags {', '.join(rules.tags)}"] if rules.tags else []
        who += [f"story alerts of desks {', '.join(map(str, rules.desks))}"] if rules.desks else []
        parts.append(" or ".join(who))
    else:
        parts.append("every ticker")
    kinds = ", ".join(k.value for k in rules.kinds) if rules.kinds else "every kind"
    parts.append(kinds)
    if rules.include:
        parts.append("with " + " or ".join(repr(k) for k in rules.include))
    if rules.exclude:
        parts.append("without " + " or ".join(repr(k) for k in rules.exclude))
    if rules.min_edit:
        parts.append(f"edits of at least {rules.min_edit:.0%}")
    if rules.digest_threshold is not None or rules.digest_window_s is not None:
        parts.append(f"digest {rules.digest_threshold} in {rules.digest_window_s} s")
    if rules.rate_per_minute is not None:
        parts.append(f"{rules.rate_per_minute:g}/min")
    return "; ".join(parts)


def rules_as_json(rules: Rules) -> dict[str, Any]:
    """A sink's rules as a JSON document (also how the database keeps them)."""
    return {
        "tickers": list(rules.tickers),
        "tags": list(rules.tags),
        "desks": list(rules.desks),
        "kinds": [k.value for k in rules.kinds],
        "include": list(rules.include),
        "exclude": list(rules.exclude),
        "min_edit": rules.min_edit,
        "digest_window_s": rules.digest_window_s,
        "digest_threshold": rules.digest_threshold,
        "rate_per_minute": rules.rate_per_minute,
    }


def subscription_as_json(subscription: Subscription, counts: QueueCounts) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "name": subscription.name,
        "kind": subscription.kind.value,
        "url": subscription.masked_url,
        "secret": mask_secret(subscription.secret),
        "enabled": subscription.enabled,
        "disabled_reason": subscription.disabled_reason,
        "disabled_at": _iso(subscription.disabled_at),
        "rules": rules_as_json(subscription.rules),
        "deliveries": {
            "pending": counts.pending,
            "failing": counts.failing,
            "delivered": counts.delivered,
            "dead": counts.dead,
        },
        "created_at": subscription.created_at.isoformat(),
    }


def delivery_as_json(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "key": delivery.key,
        "sink_id": delivery.subscription_id,
        "change_id": delivery.change_id,
        "ticker_id": delivery.ticker_id,
        "kind": delivery.kind.value,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "queued_at": delivery.queued_at.isoformat(),
        "next_attempt_at": delivery.next_attempt_at.isoformat(),
        "delivered_at": _iso(delivery.delivered_at),
        "message": delivery.group_id,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def stamp(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if moment else "-"


def subscription_lines(subscription: Subscription, counts: QueueCounts) -> list[str]:
    """How ``alerts list`` shows one sink: name, masked URL, state, queue and rules."""
    if subscription.enabled:
        state = "enabled"
    else:
        state = (
            f"DISABLED since {stamp(subscription.disabled_at)}: {subscription.disabled_reason}"
            f" (re-enable: tickerwatch alerts enable {subscription.id})"
        )
    queue = f"{counts.pending} pending"
    if counts.failing:
        queue += f" ({counts.failing} failing)"
    queue += f", {counts.delivered} delivered, {counts.dead} dead"
    return [
        f"{subscription.id:>4}  {subscription.name}  [{subscription.kind.value}]  "
        f"{subscription.masked_url}",
        f"      {state}; {queue}",
        f"      rules: {rules_summary(subscription.rules)}",
    ]


def delivery_lines(rows: Sequence[Delivery]) -> list[str]:
    """How ``alerts deliveries`` shows deliveries: a table, each failure's last error
    under its row."""
    lines = [f"{'ID':>6}  {'STATUS':<9}  {'SINK':>4}  {'TICKER':>6}  {'KIND':<13}  QUEUED"]
    for d in rows:
        status = d.status.value
        if d.status is DeliveryStatus.PENDING and d.attempts:
            status = "failing"
        line = (
            f"{d.id:>6}  {status:<9}  {d.subscription_id:>4}  {d.ticker_id:>6}  "
            f"{d.kind.value:<13}  {stamp(d.queued_at)}"
        )
        if d.status is not DeliveryStatus.DELIVERED and d.attempts:
            line += f"  {counted(d.attempts, 'attempt')}"
            if d.status is DeliveryStatus.PENDING:
                line += f", next {stamp(d.next_attempt_at)}"
        lines.append(line)
        if d.last_error and d.status is not DeliveryStatus.DELIVERED:
            lines.append(f"{'':>8}{d.last_error}")
    return lines


def attention_lines(
    subscriptions: Sequence[Subscription], counts: Mapping[SubscriptionId, QueueCounts]
) -> list[str]:
    """What ``tickerwatch status`` says about alerts: one line overall, then each sink
    that needs a person (disabled, or holding dead deliveries)."""
    if not subscriptions:
        return []
    empty = QueueCounts()
    pending = sum(counts.get(s.id, empty).pending for s in subscriptions)
    dead = sum(counts.get(s.id, empty).dead for s in subscriptions)
    disabled = [s for s in subscriptions if not s.enabled]
    lines = [
        f"alerts: {counted(len(subscriptions), 'sink')}, {len(disabled)} disabled, "
        f"{counted(pending, 'delivery', 'deliveries')} pending, {dead} dead"
    ]
    for subscription in subscriptions:
        sink_dead = counts.get(subscription.id, empty).dead
        if subscription.enabled and not sink_dead:
            continue
        shown = subscription_lines(subscription, counts.get(subscription.id, empty))[:2]
        lines += [f"  {line.strip()}" for line in shown]
    if dead:
        lines.append(
            "  see them: tickerwatch alerts deliveries --failed; "
            "send them again: tickerwatch alerts retry --all-failed"
        )
    return lines
