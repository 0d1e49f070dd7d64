"""Raw-body compression: zstd against gzip on real ticker pages, ratio and speed.

    .venv/bin/python bench/bench_compression.py [--repeat N] [DIR ...]

Every ``*.html`` under the given folders (default: the project's copies of the shared
evaluation cases, ``tests/data/eval/dev``, and real saved pages, ``tests/data/corpus/real``)
is compressed and decompressed with each codec and level, best of --repeat runs. Printed per
codec: the ratio (raw bytes / compressed bytes over all pages), compression and
decompression speed in MB/s of raw bytes, and the cost of one 500 KB page in milliseconds.

The last rows are not a codec the store uses: zstd with the previous snapshot of the same
evaluation case as a raw-content dictionary, which is what delta storage of successive polls
would gain (pages of one ticker repeat most of their bytes from poll to poll).
"""

from __future__ import annotations

import argparse
import gzip
import time
from collections.abc import Callable
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (
    ROOT / "tests" / "data" / "eval" / "dev",
    ROOT / "tests" / "data" / "corpus" / "real",
)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("dirs", nargs="*", type=Path, default=list(DEFAULT_DIRS))
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
