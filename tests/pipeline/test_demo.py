"""The demo `make run` starts: the real service polling the bundled ticker on loopback.

It must show every change a replay of the same case finds, deliver each as an alert to
its loopback webhook sink, show the Panne headline moving onto its entry, and nothing
for the stale copy and the consent page.

The site moves one version per completed poll (``advance_on_poll``), never on time, so
what each poll meets does not depend on how loaded the machine is.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from diffing.model import ChangeKind
from storage import MemoryStore
from tickerwatch.demo import KIND_WORDS, DemoOptions, run_demo
from tickerwatch.demo_site import bundled_case
from tickerwatch.replay import replay
from tickerwatch.settings import Settings
from tickerwatch.settings.web import WebSettings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _replayed_kinds() -> Counter[str]:
    counts: Counter[str] = Counter()
    async for _, report in replay(bundled_case(), store=MemoryStore()):
        counts.update(KIND_WORDS[c.kind] for c in report.changes)
    return counts


@pytest.mark.slow
@pytest.mark.anyio
async def test_the_demo_shows_what_a_replay_finds_and_no_false_alert(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = Settings(web=WebSettings(host="127.0.0.1", port=0))
    # A generous wait for the last alerts: it ends as soon as they are in.
    options = DemoOptions(step_s=1.0, database_url=None, advance_on_poll=True, alert_wait_s=120)
    assert await run_demo(settings, options, out) == 0
    text = out.getvalue()

    lines = text.splitlines()
    summary, alerts = next(line for line in lines if "polls; changes:" in line).split("; alerts")
    shown = Counter(
        {
            kind: int(n)
            for n, kind in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", summary.split(": ", 1)[1])
        }
    )
    replayed = await _replayed_kinds()
    assert shown == replayed
    # Every change reached the signed webhook sink, once (duplicates are not shown twice).
    assert alerts == f" received: {sum(replayed.values())}"
    assert "→ alert received: Headline changed: Kim-Panne vor Putin-Besuch" in text

    retitled = KIND_WORDS[ChangeKind.RETITLED]
    retitles = [line for line in lines if line.lstrip().startswith(retitled)]
    panne = next(line for line in retitles if "Kim-Panne vor Putin-Besuch" in line)
    assert "14.01 Uhr" in panne  # the headline moved onto the 14.01 entry, which kept its id
    assert "(headline was: —)" in panne

    # Under a poll come its changes, indented; alerts of earlier polls may arrive in
    # between (the receiver prints them as they come), so they are not changes listed.
    for quiet in ("stale cache copy: ignored", "not a ticker page: ignored"):
        at = next(i for i, line in enumerate(lines) if line.endswith(quiet))
        under = [line for line in lines[at + 1 :] if "→ alert received: " not in line]
        following = under[0] if under else ""
        assert not following.startswith(" "), f"a change listed under {quiet!r}"
    assert "web UI at http://127.0.0.1:" in text
    assert "failed" not in text
