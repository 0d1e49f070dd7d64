"""``[fetch]``: how politely and how defensively pages are fetched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ingest.fetching.model import DEFAULT_USER_AGENT

if TYPE_CHECKING:  # imported where built: loading the settings must not load httpx
    from ingest.fetching.policy import FetchPolicy


class FetchSettings(BaseModel):
    """Mirrors :class:`ingest.fetching.policy.FetchPolicy`; see :meth:`policy`."""

    user_agent: str = Field(
        default=DEFAULT_USER_AGENT,
        description="Sent with every request; must carry a contact URL or e-mail address.",
    )
    connect_timeout_s: float = Field(default=10.0, gt=0, description="Connect timeout.")
    read_timeout_s: float = Field(default=20.0, gt=0, description="Read timeout per read.")
    total_timeout_s: float = Field(
        default=60.0, gt=0, description="Deadline of one attempt, redirects included."
    )
    max_redirects: int = Field(default=5, ge=0, le=20, description="Redirect hops followed.")
    retries: int = Field(
        default=3, ge=0, le=10, description="Retries after timeouts, network errors and 5xx."
    )
    timeout_retries: int = Field(
        default=1,
        ge=0,
        le=10,
        description=(
            "Of those retries, how many may follow a timeout; each try can last "
            "total_timeout_s, and a server that slow rarely speeds up on the spot."
        ),
    )
    backoff_base_s: float = Field(
        default=1.0, ge=0, description="First retry waits up to this (full jitter), doubling."
    )
    backoff_cap_s: float = Field(default=30.0, ge=0, description="Longest wait between retries.")
    retry_budget_s: float = Field(
        default=60.0, ge=0, description="Total waiting one fetch may spend on retries."
    )
    max_retry_after_s: float = Field(
        default=3600.0, ge=0, description="A server's Retry-After is honoured up to this."
    )
    per_host_concurrency: int = Field(
        default=2, ge=1, le=64, description="Requests in flight to one host at once."
    )
    min_host_interval_s: float = Field(
        default=1.0, ge=0, description="Minimum gap between two requests to one host."
    )
    honour_robots: bool = Field(
        default=True,
        description="Honour robots.txt; a ticker may override it only with a stated reason.",
    )
    robots_ttl_s: float = Field(
        default=24 * 3600.0, gt=0, le=24 * 3600.0, description="How long a robots.txt is reused."
    )
    allow_private_addresses: bool = Field(
        default=False,
        description=(
            "The one override of the outbound-address (SSRF) policy, which every connection "
            "obeys: pages, robots.txt, redirects, alert sinks, `alerts test`, `parse URL`. "
            "On: loopback, private and link-local addresses are let through (intranets, "
            "tests). Cloud metadata, multicast and unspecified addresses are always refused."
        ),
    )
    proxy: str | None = Field(
        default=None, description="An http://, https:// or socks5:// proxy for every fetch."
    )

    def policy(self, *, max_body_bytes: int) -> FetchPolicy:
        """The fetcher's policy (``max_body_bytes`` comes from ``[ingest]``)."""
        from ingest.fetching.policy import FetchPolicy

        return FetchPolicy(max_body_bytes=max_body_bytes, **self.model_dump())
