"""The diffing core: entry identity across polls and what changed. Pure, no I/O.

diff(state, page, body_sha256=...) -> Diff          the one entry point
advance(state, page, diff, body_sha256=...)         how a store folds it in
new_entry_id(...), version_digest(version)          deterministic ids and digests
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names as importers see them; at run time __getattr__ loads each
    from diffing.advance import advance
    from diffing.config import DEFAULT_CONFIG, DiffConfig
    from diffing.differ import diff
    from diffing.identity import new_entry_id, version_digest, version_of
    from diffing.matching import Matching, Pair, match

_HOMES = {
    "advance": "diffing.advance",
    "DEFAULT_CONFIG": "diffing.config",
    "DiffConfig": "diffing.config",
    "diff": "diffing.differ",
    "new_entry_id": "diffing.identity",
    "version_digest": "diffing.identity",
    "version_of": "diffing.identity",
    "Matching": "diffing.matching",
    "Pair": "diffing.matching",
    "match": "diffing.matching",
}

__all__ = [
    "DEFAULT_CONFIG",
    "DiffConfig",
    "Matching",
    "Pair",
    "advance",
    "diff",
    "match",
    "new_entry_id",
    "version_digest",
    "version_of",
]


def __getattr__(name: str) -> object:
    """Import an export's module on first use: ``diffing.model`` alone does not load
    the matcher (rapidfuzz)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
