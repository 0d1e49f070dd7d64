"""The packages that export names lazily (``storage``, ``diffing``, ``ingest.fetching``:
each name's module is imported on first use) export exactly what ``__all__`` says,
each from the module it names, and refuse other names as a module does."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

import diffing
import ingest.fetching
import storage

LAZY = [storage, diffing, ingest.fetching]


@pytest.mark.parametrize("package", LAZY, ids=lambda p: p.__name__)
def test_every_listed_name_comes_from_its_module(package: ModuleType) -> None:
    homes: dict[str, str] = vars(package)["_HOMES"]
    assert set(homes) == set(package.__all__)
    for name, home in homes.items():
        assert getattr(package, name) is getattr(importlib.import_module(home), name)


@pytest.mark.parametrize("package", LAZY, ids=lambda p: p.__name__)
def test_an_unknown_name_is_an_attribute_error(package: ModuleType) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(package, "no_such_name")  # noqa: B009 - the lookup is what is tested
