"""Start-up cost of ``tickerwatch --help``, ``status`` and ``parse FILE``, as ratios.

    .venv/bin/python bench/bench_startup.py [--rounds N]

Each command runs in a fresh interpreter, as a user starts it. The baselines are
``python -c pass`` (the interpreter alone) and ``python -c "import sqlalchemy"`` (the
least a command that reads the database must load), measured in the same run: every
round starts each of them once, in turn, so a busy machine slows all alike. ``status``
reads a SQLite database of a few tickers made beforehand; ``parse`` reads the largest
real page of the corpus. Byte code is cached (in a temporary folder, not in the tree),
as an installed package has it. Figures are medians of the rounds; the goal is 0.3 s a
command on an idle machine. The last table lists the heavy libraries each command loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus" / "real"
HEAVY = (
    "fastapi",
    "uvicorn",
    "jinja2",
    "procrastinate",
    "apscheduler",
    "alembic",
    "sqlalchemy",
    "sqlmodel",
    "httpx",
    "bs4",
    "lxml",
    "rapidfuzz",
    "zstandard",
    "pydantic",
)
# Prints the heavy top-level packages loaded when the command ends (exit or not).
PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}}"
    " & set({heavy!r}))) or '-', file=sys.stderr))\n"
    "from tickerwatch.cli import main\n"
    "sys.exit(main({argv!r}))\n"
)


def _run(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _loaded(command: list[str], env: dict[str, str]) -> str:
    code = PROBE.format(heavy=HEAVY, argv=command)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return done.stderr.decode().strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    page = max(
        (p for p in CORPUS.rglob("*.html") if "negative" not in p.parts),
        key=lambda p: p.stat().st_size,
    )
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache"),
            "PYTHONPATH": str(ROOT),
            "TICKERWATCH_CONFIG": str(Path(folder) / "none.toml"),
            "TICKERWATCH_STORAGE__DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
        }
        cli = [sys.executable, "-m", "tickerwatch.cli"]
        for n in range(5):
            subprocess.run(
                [*cli, "add", "--no-check", f"https://news.example.test/live/{n}"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import sqlalchemy": [sys.executable, "-c", "import sqlalchemy"],
            "tickerwatch --help": [*cli, "--help"],
            "tickerwatch status": [*cli, "status"],
            f"tickerwatch parse {page.name}": [*cli, "parse", str(page)],
        }
        for argv in commands.values():  # warm the file cache and the .pyc files
            _run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(_run(argv, env))
        medians = {name: statistics.median(values) for name, values in times.items()}
        bare, sqlalchemy = medians["python -c pass"], medians["import sqlalchemy"]
        width = max(map(len, commands))
        print(f"median of {args.rounds} rounds, each command in a fresh interpreter")
        print(f"{'command':{width}} {'ms':>7} {'× python':>9} {'× sqlalchemy':>13}")
        for name, s in medians.items():
            print(f"{name:{width}} {1000 * s:7.0f} {s / bare:9.2f} {s / sqlalchemy:13.2f}")
        print("\nheavy libraries loaded (goal: --help none; status no fastapi, alembic, httpx)")
        for name, argv in list(commands.items())[2:]:
            print(f"{name:{width}} {_loaded(argv[3:], env)}")


if __name__ == "__main__":
    main()
