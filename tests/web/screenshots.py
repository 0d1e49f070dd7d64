"""Render the README's screenshots into docs/img/ with the browser tests' own code.

    .venv/bin/python -m tests.web.screenshots [FOLDER]

Replays the seed case (and the hostile one) into a temporary database, serves the UI on
127.0.0.1 and has Debian's Chromium photograph the timeline and the "Panne" entry's diff.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.web.browser import (
    CHROMIUM,
    MISSING,
    archive_server,
    berlin_page,
    chromium,
    save_screenshots,
)
from tests.web.conftest import write_hostile_case

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def main(argv: list[str]) -> int:
    if not CHROMIUM.exists():
        print(MISSING, file=sys.stderr)
        return 1
    target = Path(argv[0]) if argv else DOCS_IMG
    with tempfile.TemporaryDirectory(prefix="tickerwatch-shots-") as folder:
        work = Path(folder)
        hostile = write_hostile_case(work / "hostile")
        with (
            archive_server(work, hostile) as (server, _, _),
            chromium() as browser,
            berlin_page(browser) as page,
        ):
            for path in save_screenshots(page, server.url, target):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
