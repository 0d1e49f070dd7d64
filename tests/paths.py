"""Where the project's own test data lives (copied from the shared case and corpus sets)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
EVAL = DATA / "eval"
CORPUS = DATA / "corpus" / "real"
SEED_TEXT = DATA / "seed" / "kim-putin-ticker-2019.txt"
