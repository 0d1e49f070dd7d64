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


# The floors, bottom up: which of our packages each one may import (its own always).
# Derived from the import graph; a new arrow is a design decision, made here first.
LAYERS: dict[str, frozenset[str]] = {
    "ingest": frozenset(),
    "diffing": frozenset({"ingest.model"}),  # the parsed page it compares, nothing else
    "stories": frozenset(),  # pure matching of entries across tickers
    "storage": frozenset({"ingest", "diffing", "stories"}),
    "scheduler": frozenset({"diffing", "storage"}),
    "alerts": frozenset({"ingest", "diffing", "stories", "storage"}),
    "web": frozenset({"ingest", "diffing", "stories", "storage", "scheduler", "alerts"}),
    "tickerwatch": frozenset(
        {"ingest", "diffing", "stories", "storage", "scheduler", "alerts", "web"}
    ),
}
# Arrows against the floors, each with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("storage.schema", "alerts.tables"): "the migrations own the whole schema, alert tables too",
}
# Storage's tables and the code that reads and writes them: other packages go through
# its ports (storage.ports, storage.archive), so storage owns every read of its tables.
STORAGE_PRIVATE = ("storage.tables", "storage.mapping", "storage.sql_read", "storage.sql_write")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every name the module ``module`` at ``path`` imports, at any depth (in functions
    too), as (line, dotted name); relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            # "from storage import tables" imports the module storage.tables.
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def _allowed(importer: str, imported: str) -> bool:
    package = importer.split(".")[0]
    target = imported.split(".")[0]
    if target not in LAYERS or target == package:
        return True
    if any(i == importer and _within(imported, t) for i, t in EXCEPTIONS):
        return True
    return any(_within(imported, allowed) for allowed in LAYERS[package])


def _within(name: str, module: str) -> bool:
    """``name`` is ``module`` or something in it."""
    return name == module or name.startswith(module + ".")


def layer_violations(root: Path = ROOT) -> list[str]:
    """Every import that runs against :data:`LAYERS` or into :data:`STORAGE_PRIVATE`,
    as ``file:line: importer imports imported``."""
    found = []
    for package in LAYERS:
        for path in sorted((root / package).rglob("*.py")):
            importer = _module_name(path, root)
            for line, imported in _imports(path, importer):
                private = package != "storage" and any(
                    _within(imported, p) for p in STORAGE_PRIVATE
                )
                if private or not _allowed(importer, imported):
                    where = f"{path.relative_to(root)}:{line}"
                    found.append(f"{where}: {importer} imports {imported}")
    return found


def test_every_package_imports_only_the_floors_below_it() -> None:
    violations = layer_violations()
    assert not violations, "imports against the layers:\n" + "\n".join(violations)


def test_the_layer_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    (tmp_path / "scheduler").mkdir()
    (tmp_path / "scheduler" / "__init__.py").write_text("")
    (tmp_path / "scheduler" / "late.py").write_text(
        "def run():\n    from tickerwatch.polling import PollReport\n    return PollReport\n"
    )
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "reads.py").write_text("from ..storage import tables\n")
    for package in LAYERS:
        (tmp_path / package).mkdir(exist_ok=True)
    assert layer_violations(tmp_path) == [
        "scheduler/late.py:2: scheduler.late imports tickerwatch.polling.PollReport",
        "web/reads.py:1: web.reads imports storage.tables",
    ]
