"""Fixtures shared by the poll-pipeline tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import MemoryStore
from storage.ports import Store
from tickerwatch.bootstrap import open_store


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each test once on the memory store and once on a SQLite file."""
    made: Store = (
        MemoryStore()
        if request.param == "memory"
        else open_store(f"sqlite:///{tmp_path / 'poll.db'}")
    )
    yield made
    made.close()
