"""The functional core stays pure: no network, database, scheduler or clock in it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# ingest/fetching/ is the network edge; only its value types belong to the core.
FETCHING = ROOT / "ingest" / "fetching"
PURE = (
    [
        p
        for p in (ROOT / "ingest").rglob("*.py")
        if p.parent != FETCHING or p.name in {"model.py", "retry.py"}
    ]
    + list((ROOT / "diffing").rglob("*.py"))
    + list((ROOT / "stories").rglob("*.py"))
)
FORBIDDEN_IMPORTS = {
    "httpx",
    "sqlmodel",
    "sqlalchemy",
    "apscheduler",
    "requests",
    "time",
    "random",
    "os",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "time", "getenv"}


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names = {(node.module or "").split(".")[0]}
        else:
            names = set()
        assert not names & FORBIDDEN_IMPORTS, f"{path.name} imports {names & FORBIDDEN_IMPORTS}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in FORBIDDEN_CALLS or (
                node.func.attr == "time"
                and not (
                    isinstance(node.func.value, ast.Name)
                    and node.func.value.id in {"time", "datetime"}
                )
            ), f"{path.name} calls .{node.func.attr}()"


def test_no_difflib_in_the_product() -> None:
    for package in (
        "ingest",
        "diffing",
        "stories",
        "storage",
        "scheduler",
        "alerts",
        "web",
        "tickerwatch",
    ):
        for path in (ROOT / package).rglob("*.py"):
            assert "difflib" not in path.read_text(encoding="utf-8"), path


def test_settings_read_environment_only_in_settings_module() -> None:
    for package in ("ingest", "diffing", "storage", "scheduler", "alerts", "web", "tickerwatch"):
        for path in (ROOT / package).rglob("*.py"):
            if "settings" in path.relative_to(ROOT).parts:
                continue
            text = path.read_text(encoding="utf-8")
            assert "os.environ" not in text, path
            assert "getenv" not in text, path
