"""``[web]``: the web UI and JSON API."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator

MIN_TOKEN_LENGTH = 16


class WebSettings(BaseModel):
    """Where and how the web UI is served."""

    host: str = Field(
        default="127.0.0.1",
        description=(
            "Address the web server binds to. The default serves this machine only; put a "
            "TLS-terminating reverse proxy in front before binding a public address."
        ),
    )
    port: int = Field(
        default=8080, ge=0, le=65535, description="TCP port of the web server (0: any free port)."
    )
    base_url: str | None = Field(
        default=None,
        description=(
            "Public URL of the UI (e.g. `https://archive.example.org/tickerwatch`), used for "
            "every link, redirect, Memento `Link` header and form action; none: links relative "
            "to the server, or on the request's host when `allowed_hosts` names it."
        ),
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Without `base_url`: host names (no scheme, no port) whose `Host` header may be "
            "used for absolute links, besides `localhost`, `127.0.0.1`, `[::1]` and `host`. "
            "Any other Host, forged or not, gets links relative to the server. As an "
            'environment variable a JSON list: `["archive.example.org"]`.'
        ),
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description=(
            "Secret for admin actions (adding, editing, pausing, removing tickers): sent as "
            "`Authorization: Bearer …` or entered once on the login page, which sets a session "
            f"cookie derived from it. At least {MIN_TOKEN_LENGTH} characters. None: admin "
            "actions are refused, reading stays open."
        ),
    )
    zone: str = Field(
        default="UTC",
        description=(
            "IANA zone in which times are shown and date-time inputs are read, for tickers "
            "that name no zone of their own."
        ),
    )
    page_size: int = Field(
        default=50, ge=5, le=500, description="Rows per page of timelines, searches and lists."
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="How long a login session lasts."
    )

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, not {value!r}")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not carry a query or fragment")
        return value.rstrip("/")

    @field_validator("allowed_hosts")
    @classmethod
    def _bare_hosts(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip() or any(c in name for c in "/@ ") or "://" in name:
                raise ValueError(f"allowed_hosts takes bare host names, not {name!r}")
        return value

    @field_validator("admin_token")
    @classmethod
    def _strong_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value()
        if secret != secret.strip() or len(secret) < MIN_TOKEN_LENGTH:
            raise ValueError(
                f"admin_token must be at least {MIN_TOKEN_LENGTH} characters, without "
                "leading or trailing spaces (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`)"
            )
        return value
