"""Raw-body compression: zstd against gzip on real ticker pages, ratio and speed.

    .venv/bin/python bench/bench_compression.py [--repeat N] [--series-only] [DIR ...]

Every ``*.html`` under the given folders (default: the project's copies of the shared
evaluation cases, ``tests/data/eval/dev``, and real saved pages, ``tests/data/corpus/real``)
is compressed and decompressed with each codec and level, best of --repeat runs. Printed per
codec: the ratio (raw bytes / compressed bytes over all pages), compression and
decompression speed in MB/s of raw bytes, and the cost of one 500 KB page in milliseconds.

The next rows are not a codec the store uses: zstd with the previous snapshot of the same
evaluation case as a raw-content dictionary (a chain of deltas, which the store avoids).

Last, the store's own form (``storage.deltas``: keyframes plus deltas one step from a
keyframe) on each real series in ``../shared/corpus/series`` (read in place; skipped with a
message where absent): raw bytes, whole-page zstd-9 bytes and their share of raw, keyframe
plus delta bytes and their share, and per page the cost of writing (whole: compress; delta:
read the keyframe, choose, compress) and of reading back (whole: one decompression; delta:
the keyframe's and its own), both forms measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import zstandard

from storage.codec import PackedBody, pack, unpack
from storage.deltas import Keyframe, open_body, pack_for_ticker, tries_delta

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (
    ROOT / "tests" / "data" / "eval" / "dev",
    ROOT / "tests" / "data" / "corpus" / "real",
)
SERIES = ROOT.parent / "shared" / "corpus" / "series"
PAGE = 500_000  # bytes: a large live-ticker page


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def gzip_codec(level: int) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    # mtime=0: a deterministic stream, as a content-addressed store would want.
    return (lambda b: gzip.compress(b, compresslevel=level, mtime=0)), gzip.decompress


def zstd_codec(level: int) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    compressor = zstandard.ZstdCompressor(level=level)
    decompressor = zstandard.ZstdDecompressor()
    return compressor.compress, decompressor.decompress


def measure(
    name: str,
    codec: tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]],
    pages: list[bytes],
    repeat: int,
) -> None:
    compress, decompress = codec
    packed = [compress(p) for p in pages]
    assert all(decompress(c) == p for c, p in zip(packed, pages, strict=True))
    raw = sum(len(p) for p in pages)
    stored = sum(len(c) for c in packed)
    t_c = best_of(repeat, lambda: [compress(p) for p in pages])
    t_d = best_of(repeat, lambda: [decompress(c) for c in packed])
    print(
        f"{name:16} {raw / stored:7.2f} {raw / t_c / 1e6:9.1f} {raw / t_d / 1e6:9.1f}"
        f" {PAGE / (raw / t_c) * 1e3:8.2f} {PAGE / (raw / t_d) * 1e3:8.2f}"
    )


def measure_delta(level: int, cases: list[list[bytes]]) -> None:
    """zstd of each snapshot against the previous one of its case as a dictionary."""
    raw = stored = 0
    started = time.perf_counter()
    for snapshots in cases:
        previous: bytes | None = None
        for body in snapshots:
            if previous is None:
                packed = zstandard.ZstdCompressor(level=level).compress(body)
            else:
                prefix = zstandard.ZstdCompressionDict(
                    previous, dict_type=zstandard.DICT_TYPE_RAWCONTENT
                )
                packed = zstandard.ZstdCompressor(level=level, dict_data=prefix).compress(body)
            raw += len(body)
            stored += len(packed)
            previous = body
    elapsed = time.perf_counter() - started
    print(f"{'zstd-' + str(level) + ' delta':16} {raw / stored:7.2f} {raw / elapsed / 1e6:9.1f}")


def store_series(pages: list[bytes]) -> list[PackedBody]:
    """Each capture packed as the store packs a ticker's new bodies, in order."""
    stored: list[PackedBody] = []
    keyframe: Keyframe | None = None
    keyframe_row: PackedBody | None = None
    for body in pages:
        raw = None
        if keyframe is not None and keyframe_row is not None and tries_delta(keyframe):
            raw = open_body(keyframe_row, None)  # the store reads the keyframe back, too
        packed = pack_for_ticker(body, keyframe, raw)
        if packed.keyframe_sha256 is None or keyframe is None:
            keyframe, keyframe_row = Keyframe(packed.sha256, len(packed.data), 0), packed
        else:
            keyframe = replace(keyframe, deltas=keyframe.deltas + 1)
        stored.append(packed)
    return stored


def measure_series(folder: Path, repeat: int) -> None:
    pages = [p.read_bytes() for p in sorted(folder.glob("*.html"))]
    raw = sum(len(p) for p in pages)
    whole = [pack(p) for p in pages]
    stored = store_series(pages)
    rows = {s.sha256: s for s in stored}

    def read_whole() -> list[bytes]:
        return [unpack(w.codec.value, w.data, sha256=w.sha256) for w in whole]

    def read_stored() -> list[bytes]:
        return [
            open_body(s, rows[s.keyframe_sha256] if s.keyframe_sha256 else None) for s in stored
        ]

    assert read_whole() == pages
    assert read_stored() == pages
    t_write_whole = best_of(repeat, lambda: [pack(p) for p in pages])
    t_write_delta = best_of(repeat, lambda: store_series(pages))
    t_read_whole = best_of(repeat, read_whole)
    t_read_delta = best_of(repeat, read_stored)
    whole_bytes = sum(len(w.data) for w in whole)
    delta_bytes = sum(len(s.data) for s in stored)
    keys = sum(1 for s in stored if s.keyframe_sha256 is None)
    n = len(pages)
    print(
        f"{folder.name:18} {n:5} {raw / 1e6:7.1f} {whole_bytes / 1e6:8.2f} {whole_bytes / raw:7.2%}"
        f" {delta_bytes / 1e6:8.2f} {delta_bytes / raw:7.2%} {keys:5}"
        f" {t_write_whole / n * 1e3:7.1f} {t_write_delta / n * 1e3:7.1f}"
        f" {t_read_whole / n * 1e3:7.2f} {t_read_delta / n * 1e3:7.2f}"
    )


def measure_all_series(repeat: int) -> None:
    folders = sorted(p for p in SERIES.glob("*") if p.is_dir()) if SERIES.is_dir() else []
    if not folders:
        print(f"series: skipped, {SERIES} is absent")
        return
    print(
        f"series in {SERIES}: whole pages vs keyframes + deltas (storage.deltas), best of {repeat}"
    )
    print(
        f"{'':18} {'pages':>5} {'raw MB':>7} {'whole, zstd-9':>16} {'keyframes+deltas':>16}"
        f" {'keys':>5} {'write ms/page':>15} {'read ms/page':>15}"
    )
    print(
        f"{'':18} {'':5} {'':7} {'MB':>8} {'of raw':>7} {'MB':>8} {'of raw':>7} {'':5}"
        f" {'whole':>7} {'delta':>7} {'whole':>7} {'delta':>7}"
    )
    for folder in folders:
        measure_series(folder, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("dirs", nargs="*", type=Path, default=list(DEFAULT_DIRS))
    parser.add_argument(
        "--series-only", action="store_true", help="measure only the real series (../shared)"
    )
    args = parser.parse_args()
    if args.series_only:
        measure_all_series(args.repeat)
        return
    files = sorted(p for d in args.dirs for p in d.rglob("*.html"))
    if not files:
        raise SystemExit(f"no *.html under {', '.join(map(str, args.dirs))}")
    pages = [p.read_bytes() for p in files]
    print(f"{len(pages)} pages, {sum(map(len, pages)) / 1e6:.1f} MB raw, best of {args.repeat}")
    print(
        f"{'codec':16} {'ratio':>7} {'comp MB/s':>9} {'dec MB/s':>9} {'comp ms':>8} {'dec ms':>8}"
    )
    print(f"{'':16} {'':7} {'':9} {'':9} {'(500 KB page)':>17}")
    for level in (6, 9):
        measure(f"gzip-{level}", gzip_codec(level), pages, args.repeat)
    for level in (3, 9, 19):
        measure(f"zstd-{level}", zstd_codec(level), pages, args.repeat)
    cases: dict[Path, list[bytes]] = {}
    for path, body in zip(files, pages, strict=True):
        if "eval" in path.parts:
            cases.setdefault(path.parent, []).append(body)
    if cases:
        print(f"not used: delta against the previous snapshot ({len(cases)} evaluation cases)")
        for level in (3, 19):
            measure_delta(level, list(cases.values()))
    measure_all_series(args.repeat)


if __name__ == "__main__":
    main()
