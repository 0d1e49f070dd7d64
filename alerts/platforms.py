"""The URL each hosted chat platform gives out for its incoming webhooks.

A Slack sink pointed at any other https URL would post the channel's alerts, and the
webhook's secret path, to whoever runs that host; a typo'd host fails only at the first
alert. So a sink of a hosted platform must have that platform's URL form. Platforms that
run anywhere (Mattermost, Matrix, ntfy, generic webhooks) take any http(s) URL, which the
outbound-address policy (:mod:`alerts.reach`) judges like every other. ``--any-host``
(``allow_any_host``) lets a hosted platform's format go to a receiver of one's own: a
self-hosted bridge or a test receiver.

Pure: :func:`platform_url_problem` reads the URL and nothing else. Its texts name the
expected form and the host given, never the path or query (credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from alerts.alert import SinkKind


@dataclass(frozen=True, slots=True)
class UrlForm:
    """``hosts`` are exact names, or suffixes when they start with a dot; the path must
    start with one of ``paths``."""

    example: str
    hosts: tuple[str, ...]
    paths: tuple[str, ...]

    def accepts_host(self, host: str) -> bool:
        return any(host.endswith(h) if h.startswith(".") else host == h for h in self.hosts)


# Each form as the platform's webhook documentation gives it.
FORMS: dict[SinkKind, UrlForm] = {
    # Incoming webhooks, and Workflow Builder triggers; GovSlack has its own host.
    SinkKind.SLACK: UrlForm(
        "https://hooks.slack.com/services/…",
        ("hooks.slack.com", "hooks.slack-gov.com"),
        ("/services/", "/workflows/", "/triggers/"),
    ),
    # Execute Webhook, unversioned or versioned; discordapp.com is the old domain, ptb and
    # canary the test clients' hosts.
    SinkKind.DISCORD: UrlForm(
        "https://discord.com/api/webhooks/…",
        ("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"),
        ("/api/webhooks/", "/api/v"),
    ),
    # Office 365 connectors (retired, still seen) and their replacement, Workflows (Power
    # Automate): a signed …logic.azure.com or …powerplatform.com URL.
    SinkKind.TEAMS: UrlForm(
        "https://….logic.azure.com/workflows/… (a Teams Workflows URL)",
        (".webhook.office.com", ".logic.azure.com", ".powerplatform.com"),
        ("/",),
    ),
    SinkKind.GOOGLECHAT: UrlForm(
        "https://chat.googleapis.com/v1/spaces/…/messages?key=…",
        ("chat.googleapis.com",),
        ("/v1/spaces/",),
    ),
}


def platform_url_problem(kind: SinkKind, url: str, *, allow_any_host: bool = False) -> str | None:
    """Why ``url`` is not a webhook URL of the hosted platform ``kind``, or None (also for
    platforms that run anywhere, and with ``allow_any_host``)."""
    form = FORMS.get(kind)
    if form is None or allow_any_host:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return f"a {kind.value} sink URL looks like {form.example}"
    path = parts.path
    if kind is SinkKind.DISCORD and path.startswith("/api/v") and "/webhooks/" not in path:
        path = ""  # a versioned API path, but not of a webhook
    if parts.scheme == "https" and form.accepts_host(host) and path.startswith(form.paths):
        return None
    where = f" (this one is on {host})" if host and not form.accepts_host(host) else ""
    return f"a {kind.value} sink URL looks like {form.example}{where}"
