"""``tickerwatch web``: the archive and monitor UI with its JSON API, on its own.

:func:`tickerwatch.service.run_web` is the service; ``tickerwatch run`` serves it in
the same event loop as the scheduler and alert delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from functools import partial
from typing import TYPE_CHECKING

from tickerwatch.commands import values

if TYPE_CHECKING:
    from tickerwatch.settings import Settings


def _cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch import service
    from web import bind

    web = settings.web
    if args.host or args.port is not None:
        port = args.port if args.port is not None else web.port
        web = web.model_copy(update={"host": args.host or web.host, "port": port})
        settings = settings.model_copy(update={"web": web})
    try:
        sock = bind(web.host, web.port)
    except OSError as error:
        print(f"tickerwatch: {error.strerror or error}", file=sys.stderr)
        return 1

    async def main() -> None:
        stop = asyncio.Event()
        with service.stop_on_signals(stop, finishing="the requests in progress"):
            await service.serve([partial(service.run_web, settings, sock=sock)], stop)

    asyncio.run(main())
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = commands.add_parser(
        "web",
        help="serve the archive and monitor UI and its JSON API (SIGINT/SIGTERM stop it)",
        description="Serve the web UI and the JSON API (/api, described by /openapi.json) "
        "on [web] host and port. Admin actions need [web] admin_token.",
    )
    web.add_argument("--host", help="address to bind (default: [web] host)")
    web.add_argument("--port", type=values.port, help="port to listen on (default: [web] port)")
    web.set_defaults(handler=_cmd_web)
