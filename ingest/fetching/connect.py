"""The guarded transport: connections only to addresses the SSRF guard passes.

:func:`~ingest.fetching.guard.check_url` judges a URL before a request is built, but
httpx would resolve the name again when it connects, and a hostile DNS server can
answer the second lookup with a private address (DNS rebinding). So every connection
goes through :class:`GuardedBackend`, an httpcore network backend that resolves the
name once, refuses the connection unless :func:`~ingest.fetching.guard.addresses_refusal`
passes every address, and then connects to a checked address itself. The request's
``Host`` header, TLS certificate check and SNI still use the name: httpcore takes them
from the URL, not from the socket.

:func:`guarded_transport` is the one way the service builds an httpx transport: the
page fetcher (:func:`~ingest.fetching.policy.make_client`) and the alert sender
(:func:`alerts.sender.open_sender`) both use it, with the one override
``allow_private_addresses``. A refusal is raised as ``httpcore.ConnectError``, which
httpx reports as ``httpx.ConnectError`` with the reason in its message.
"""

from __future__ import annotations

import ipaddress
import typing

import httpcore
import httpx

from ingest.fetching.errors import NetworkFailure, TimedOut
from ingest.fetching.guard import Address, Resolver, addresses_refusal, resolve, system_resolver

DEFAULT_RESOLVE_TIMEOUT_S = 10.0
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Wraps a network backend; ``connect_tcp`` connects only to guard-approved addresses.

    Unix sockets are refused: no URL of ours names one.
    """

    def __init__(
        self,
        inner: httpcore.AsyncNetworkBackend,
        *,
        allow_private: bool,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._inner = inner
        self._allow_private = allow_private
        self._resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, timeout)
        reason = addresses_refusal(addresses, allow_private=self._allow_private)
        if reason is not None:
            raise httpcore.ConnectError(f"refused to connect to {host}: {reason}")
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:  # as getaddrinfo ordered them, like a plain connect
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None  # resolve() never returns an empty list
        raise failure

    async def _addresses(self, host: str, timeout: float | None) -> list[Address]:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass
        try:
            return await resolve(host, self._resolver, timeout or DEFAULT_RESOLVE_TIMEOUT_S)
        except TimedOut as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except NetworkFailure as error:
            raise httpcore.ConnectError(str(error)) from error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("refused to connect to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request/response mapping, error mapping) over a
    connection pool whose network backend is a :class:`GuardedBackend`."""

    def __init__(self, *, allow_private: bool, resolver: Resolver, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx takes no network backend, so its pool is replaced by an equal one
        # that has ours (tests/fetching/test_connect.py proves the swap holds).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(
                httpcore.AnyIOBackend(), allow_private=allow_private, resolver=resolver
            ),
        )


def guarded_transport(
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    limits: httpx.Limits | None = None,
) -> httpx.AsyncBaseTransport:
    """An httpx transport that connects only where the SSRF guard allows; see the module."""
    return _GuardedTransport(
        allow_private=allow_private,
        resolver=resolver,
        limits=limits if limits is not None else DEFAULT_LIMITS,
    )
