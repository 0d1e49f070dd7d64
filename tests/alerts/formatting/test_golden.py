"""Golden files: every platform's payload for every scenario, as reviewed.

Each ``tests/alerts/golden/<platform>/<scenario>.json`` holds the request (method, URL,
content type, headers) and its body (parsed JSON, or the text). A change in formatting
shows up here as a readable diff. After an intended change, rewrite the files with::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/alerts/formatting/test_golden.py

and review the diff of ``tests/alerts/golden/`` before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from alerts.alert import SinkKind
from tests.alerts.formatting.cases import as_golden, render_for
from tests.alerts.formatting.factory import scenarios

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SCENARIOS = scenarios()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("kind", list(SinkKind), ids=lambda k: k.value)
def test_payload_matches_golden_file(kind: SinkKind, scenario: str) -> None:
    actual = as_golden(render_for(kind, SCENARIOS[scenario]))
    path = GOLDEN / kind.value / f"{scenario}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if not path.exists():
        pytest.fail(f"{path} is missing: run with UPDATE_GOLDEN=1 and review it")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_every_golden_file_belongs_to_a_scenario() -> None:
    expected = {f"{kind.value}/{name}.json" for kind in SinkKind for name in SCENARIOS}
    present = {str(path.relative_to(GOLDEN)) for path in GOLDEN.rglob("*.json")}
    assert present <= expected, f"stale golden files: {sorted(present - expected)}"
