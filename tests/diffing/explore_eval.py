"""Scores the differ on the evaluation cases with the shared scorer. Run by hand:

    .venv/bin/python -m tests.diffing.explore_eval [CASES_DIR ...] [--scorer PATH] [-v]

Exploration only (not collected by pytest): it imports ``score.py`` from the shared
evaluation folder, which the project's committed tests must not depend on. Pages come
from the harness (state.jsonl, no parser), so the figures measure the differ alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

from tests.diffing.harness import Snapshot, load_case, replay
from tests.paths import EVAL

DEFAULT_SCORER = Path("/work/shared/eval/score.py")


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parsed_case(folder: Path) -> list[Snapshot]:
    """The case's snapshots read by the project's parser instead of state.jsonl."""
    import json
    from datetime import datetime

    from ingest.parse import parse_page

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    out = []
    for snap in load_case(folder):
        info = next(s for s in meta["snapshots"] if s["file"] == snap.name)
        body = (folder / snap.name).read_bytes()
        page = parse_page(
            body,
            url=meta["url"],
            observed_at=datetime.fromisoformat(info["fetched_at"]),
            content_type=info["content_type"],
        )
        out.append(Snapshot(snap.name, snap.kind, page, snap.body_sha256, snap.truth_ids))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("cases", nargs="*", type=Path, default=[EVAL / "dev", EVAL / "seed"])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--parser", action="store_true", help="read pages with ingest.parse")
    a = ap.parse_args()
    score = load_scorer(a.scorer)
    print(
        f"{'case':24} {'P':>6} {'R':>6} {'F1':>6} {'split':>5} {'merge':>5} {'fault-ev':>8} {'ms':>7}"
    )
    for root in a.cases:
        folders = sorted(p for p in root.iterdir() if (p / "truth.jsonl").exists())
        agg: dict[str, Counter[str]] = {u: Counter() for u in score.UNITS}
        totals: Counter[str] = Counter()
        for folder in folders:
            snapshots = parsed_case(folder) if a.parser else load_case(folder)
            t0 = time.perf_counter()
            run = replay(snapshots)
            ms = (time.perf_counter() - t0) * 1000
            res = score.score_case(score.Case(folder), run.events)
            for u in score.UNITS:
                agg[u].update(res["units"][u])
            tp = sum(v["tp"] for v in res["units"].values())
            fp = sum(v["fp"] for v in res["units"].values())
            fn = sum(v["fn"] for v in res["units"].values())
            p, r, f1 = score.prf(tp, fp, fn)
            for k in ("split_entries", "merged_ids", "events_on_stale_or_error_snapshots"):
                totals[k] += res[k]
            print(
                f"{folder.name:24} {p:6.3f} {r:6.3f} {f1:6.3f} {res['split_entries']:5d} "
                f"{res['merged_ids']:5d} {res['events_on_stale_or_error_snapshots']:8d} {ms:7.1f}"
            )
            if a.verbose:
                for ex in res["fp_examples"]:
                    print("     false:", ex)
                for ex in res["fn_examples"]:
                    print("     missed:", ex)
        tp = sum(c["tp"] for c in agg.values())
        fp = sum(c["fp"] for c in agg.values())
        fn = sum(c["fn"] for c in agg.values())
        p, r, f1 = score.prf(tp, fp, fn)
        units = " ".join(
            f"{u}={score.prf(c['tp'], c['fp'], c['fn'])[2]:.3f}" for u, c in agg.items()
        )
        print(
            f"== {root.name}: P={p:.3f} R={r:.3f} F1={f1:.3f} split={totals['split_entries']} "
            f"merge={totals['merged_ids']} fault-ev={totals['events_on_stale_or_error_snapshots']}"
        )
        print(f"   {units}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
