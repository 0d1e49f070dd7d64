"""A page-change watcher's view of a ticker, as a reference point for the scorer.

Every paragraph (every non-empty line of a text page) is an item; an item that was
not on the previous page is ``added``, one that left it is ``removed``. This is what a
generic page watcher reports. The evaluation scorer's own figures for it are pinned in
``floors.json`` so the project's scorer can be checked against them on imperfect
output, not only on perfect output.

Run ``python -m tests.quality.naive CASE_DIR`` to print its events as replay JSON lines.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from lxml import html as lxml_html


def _items(body: bytes, name: str) -> list[str]:
    if name.endswith(".txt"):
        lines = body.decode("utf-8", errors="replace").splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]
    tree = lxml_html.document_fromstring(body)
    paragraphs = (p for p in tree.iter("p") if isinstance(p, lxml_html.HtmlElement))
    texts = (" ".join(p.text_content().split()) for p in paragraphs)
    return [text for text in texts if text]


def naive_events(folder: Path) -> list[dict[str, Any]]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    events: list[dict[str, Any]] = []
    previous: list[str] = []
    for snapshot in meta["snapshots"]:
        name = snapshot["file"]
        current = _items((folder / name).read_bytes(), name)
        before, now = set(previous), set(current)
        for text in current:
            if text not in before:
                events.append(_event(name, "added", text))
        for text in previous:
            if text not in now:
                events.append(_event(name, "removed", text))
        previous = current
    return events


def _event(snapshot: str, kind: str, text: str) -> dict[str, Any]:
    return {
        "snapshot": snapshot,
        "kind": kind,
        "changed": [],
        "entry_id": hashlib.sha1(text.encode()).hexdigest()[:12],
        "title": None,
        "text": text,
        "time": None,
        "previous": None,
        "similarity": None,
    }


if __name__ == "__main__":
    for event in naive_events(Path(sys.argv[1])):
        print(json.dumps(event, ensure_ascii=False))
