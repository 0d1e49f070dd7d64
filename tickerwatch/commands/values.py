"""Argument types for the command line: values checked at the edge, before any work.

Each is an ``argparse`` type: it returns the value (URLs in their normal form) or raises
``argparse.ArgumentTypeError`` with a message for people, so a bad value ends as one
usage line and exit code 2 instead of an exception deep inside.

Bounds, and why:

- ids: 1 to 2^63 - 1, the range of a database integer key;
- ports to listen on: 0 to 65535 (TCP; 0 lets the system pick a free one);
- poll intervals: ``MIN_INTERVAL_S`` to ``MAX_INTERVAL_S`` (one second to one week; a
  ticker polled less than weekly is not being watched live);
- counts and seconds in rules: finite and not negative.
"""

from __future__ import annotations

import argparse
import math
import string
from urllib.parse import urlsplit, urlunsplit

from storage.model import MAX_ID, MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS

MIN_INTERVAL_S = MIN_INTERVAL_SECONDS
MAX_INTERVAL_S = MAX_INTERVAL_SECONDS
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 reg-name characters a host may hold (percent-encoding and IDNA labels aside).
_HOST_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~!$&'()*+,;=%")


def _whole(value: str, low: int, high: int, what: str) -> int:
    """``value`` as a whole number from ``low`` to ``high``; ``what`` names it in errors."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{what} is a number from {low} to {high}, not {number}")
    return number


def row_id(value: str) -> int:
    """A row id: a whole number from 1 to 2^63 - 1."""
    return _whole(value, 1, MAX_ID, "an id")


def port(value: str) -> int:
    """A TCP port to listen on: 0 (any free one) to 65535."""
    return _whole(value, 0, 65535, "a port")


def count(value: str) -> int:
    """A whole number from 0 to 2^63 - 1."""
    return _whole(value, 0, MAX_ID, "a count")


def amount(value: str) -> float:
    """A finite number that is not negative (seconds, messages a minute)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"a finite number of at least 0, not {value!r}")
    return number


def interval(value: str) -> int:
    """``90``, ``90s``, ``5m``, ``1h`` or ``1d`` as whole seconds, from one second to a week."""
    text = value.strip().lower()
    unit = _UNITS.get(text[-1:])
    number = text[:-1] if unit else text
    try:
        seconds = float(number) * (unit or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an interval: {value!r} (e.g. 90, 90s, 5m, 1h)"
        ) from None
    if not MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S:  # also false for nan
        raise argparse.ArgumentTypeError(
            f"an interval is from {MIN_INTERVAL_S} s to {MAX_INTERVAL_S // 86400} days "
            f"({MAX_INTERVAL_S} s), not {value!r}"
        )
    return int(seconds)


def minutes(value: str) -> int:
    """``90``, ``90m``, ``6h`` or ``1d`` as whole minutes (a bare number is minutes), from
    0 to a week; the desk itself checks the narrower bounds of each setting."""
    text = value.strip().lower()
    unit = _UNITS.get(text[-1:]) if text[-1:] != "s" else None
    number = text[:-1] if unit else text
    try:
        seconds = float(number) * (unit or 60)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a duration: {value!r} (e.g. 90, 90m, 6h, 1d)"
        ) from None
    if not 0 <= seconds <= MAX_INTERVAL_S or seconds % 60:  # also false for nan
        raise argparse.ArgumentTypeError(
            f"a duration is whole minutes from 0 to {MAX_INTERVAL_S // 86400} days, not {value!r}"
        )
    return int(seconds) // 60


def normal_http_url(value: str) -> str:
    """An absolute http(s) URL in its normal form, or ``ValueError`` saying what is wrong
    without repeating the URL (a webhook URL is a credential).

    Strict: a scheme of http or https, a host of URL characters only (no space), a port
    from 1 to 65535 if any. Normal form, so that one page is one URL for the duplicate
    check: scheme and host in lower case, the scheme's default port dropped, an empty
    path as ``/``, no fragment (it never reaches the server). Path and query are kept
    as written: servers may treat their case and order as meaningful.
    """
    text = value.strip()
    try:
        parts = urlsplit(text)
        given_port = parts.port
    except ValueError as error:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise ValueError(f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError("not an http(s) URL")
    host = parts.hostname
    if not host:
        raise ValueError("the URL names no host")
    if ":" in host:
        host = f"[{host}]"  # IPv6, already checked by urlsplit
    elif any(c not in _HOST_CHARACTERS and c.isascii() for c in host):
        raise ValueError(f"not a valid host name: {parts.hostname!r}")
    if given_port == 0:
        raise ValueError("a port is a number from 1 to 65535")
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@" if userinfo else ""
    netloc += host
    if given_port is not None and given_port != _DEFAULT_PORTS[scheme]:
        netloc += f":{given_port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def http_url(value: str) -> str:
    """``normal_http_url`` as an argparse type."""
    try:
        return normal_http_url(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}: {value!r}") from None


def database_url(value: str) -> str:
    """A database URL tickerwatch can use (``tickerwatch.settings.storage.check_database_url``)."""
    from tickerwatch.settings.storage import check_database_url  # pydantic, SQLAlchemy

    try:
        return check_database_url(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
