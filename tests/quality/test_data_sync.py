"""The project's copies of the evaluation cases and the real corpus match their source.

The cases and pages in ``tests/data`` are copies of the shared evaluation set, kept so that a
clone stands alone. Where the source is present (a development checkout beside it), every
copied file must be byte-identical to it, so a refreshed case is never tested against a stale
copy. A page stored once and linked from a second place (the Telegraph snapshots are both
corpus pages and an evaluation case) counts as its link's target.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import DATA

SHARED = Path(__file__).resolve().parents[3] / "shared"

COPIES = (
    (DATA / "eval", SHARED / "eval", ("seed", "dev", "real")),
    (DATA / "corpus" / "real", SHARED / "corpus" / "real", ("",)),
    (DATA / "seed", SHARED / "seed", ("",)),
)

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the shared source set is absent")


def _files(root: Path) -> dict[str, Path]:
    return {str(path.relative_to(root)): path for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize(("copy", "source", "parts"), COPIES, ids=["eval", "corpus", "seed"])
def test_copy_matches_its_source(copy: Path, source: Path, parts: tuple[str, ...]) -> None:
    for part in parts:
        ours, theirs = _files(copy / part), _files(source / part)
        assert sorted(ours) == sorted(theirs), f"files differ under {copy / part}"
        stale = [
            name for name, path in ours.items() if path.read_bytes() != theirs[name].read_bytes()
        ]
        assert not stale, f"stale copies: {stale[:5]}"


def test_each_page_is_stored_once() -> None:
    seen: dict[bytes, Path] = {}
    for path in DATA.rglob("*.html"):
        if path.is_symlink():
            assert path.resolve().is_file(), f"{path} links to nothing"
            continue
        body = path.read_bytes()
        first = seen.setdefault(body, path)
        # A case may poll the same bytes twice (an unchanged page); two folders may not.
        assert first.parent == path.parent, f"{path} repeats {first}"
