"""The diffing core: entry identity across polls and what changed. Pure, no I/O.

diff(state, page, body_sha256=...) -> Diff          the one entry point
advance(state, page, diff, body_sha256=...)         how a store folds it in
new_entry_id(...), version_digest(version)          deterministic ids and digests
"""

from diffing.advance import advance
from diffing.config import DEFAULT_CONFIG, DiffConfig
from diffing.differ import diff
from diffing.identity import new_entry_id, version_digest, version_of
from diffing.matching import Matching, Pair, match

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
