"""What the web app is configured with: a frozen value the composition root builds from
the ``[web]`` and ``[scheduler]`` settings (``tickerwatch.service.web_config``), so the
web package reads no settings object of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.cadence import CadencePolicy


@dataclass(frozen=True, slots=True)
class WebConfig:
    """How the UI is served and shown.

    - ``host``: the address the server binds, also an allowed ``Host`` for links;
    - ``base_url``: the public URL every link is made on (no trailing slash), None:
      relative links or the request's host when allowed (:mod:`web.origin`);
    - ``allowed_hosts``: host names whose ``Host`` header may make absolute links;
    - ``admin_token``: the secret of admin actions, None: the UI is read-only;
    - ``zone``: the IANA zone times are shown in for tickers without one of their own;
    - ``page_size``: rows per page of lists; ``session_hours``: a login's lifetime;
    - ``cadence``: the scheduler's policy, to show when a ticker is polled next.
    """

    host: str = "127.0.0.1"
    base_url: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    admin_token: str | None = field(default=None, repr=False)
    zone: str = "UTC"
    page_size: int = 50
    session_hours: float = 12.0
    cadence: CadencePolicy = field(default_factory=CadencePolicy)
