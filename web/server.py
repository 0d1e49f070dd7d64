"""Serving the app inside an event loop that runs other services too.

:func:`serve` runs uvicorn's server in the caller's loop until ``stop`` is set, then
lets requests in flight finish (up to ``grace_s``) and returns. It never installs
signal handlers: stopping is the caller's ``stop`` event (``tickerwatch.service``
sets it on SIGINT/SIGTERM). The listening socket is bound by :func:`bind` first, so an
address in use is an ``OSError`` in the caller's hands, not uvicorn's ``sys.exit``,
and clients may connect as soon as it returns; port 0 picks a free port
(``sock.getsockname()[1]``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signals to the process it is embedded in."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int, *, backlog: int = 2048) -> socket.socket:
    """A TCP socket listening on ``host``:``port`` (``OSError`` with the reason when
    taken). Connections wait in its backlog until :func:`serve` accepts them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as error:
        sock.close()
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from error
    sock.set_inheritable(True)
    return sock


async def serve(
    app: ASGIApp,
    *,
    stop: asyncio.Event,
    host: str = "127.0.0.1",
    port: int = 8080,
    sock: socket.socket | None = None,
    grace_s: float = 10.0,
) -> None:
    """Serve ``app`` on ``sock`` (else a new socket on ``host``:``port``) until ``stop``."""
    listening = sock if sock is not None else bind(host, port)
    config = uvicorn.Config(
        app,
        log_config=None,  # the process's logging, as configured by tickerwatch.logs
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=int(grace_s),
    )
    server = _EmbeddedServer(config)
    running = asyncio.create_task(server.serve(sockets=[listening]))
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        stopping.cancel()
        try:
            await running
        finally:
            listening.close()
