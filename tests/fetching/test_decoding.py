"""One decoding path with a cap on the decoded bytes, for pages and robots.txt.

The bug: ``Content-Encoding: gzip, gzip`` on a 6.8 KB response drove one poll to
8.3 GB, because httpx decoded each read through both layers before the cap saw it.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from ingest.fetching import FetchOutcome
from ingest.fetching.decoding import BodyDecoder, content_codings
from ingest.fetching.errors import NetworkFailure, UnsupportedEncoding
from ingest.fetching.policy import accept_encoding
from tests.fetching.bombs import gzip_of_zeros, stacked_gzip_bomb
from tests.fetching.conftest import CountingTransport, FakeTime, open_fetcher, policy
from tests.fetching.server import LoopbackServer, Reply

PAGE = b"<html><body><article>14.01 Uhr: Es geht los.</article></body></html>"
ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_KIB = 300 * 1024  # the bound: a bomb's poll stays under 300 MB


def test_content_codings_drop_identity_and_case() -> None:
    assert content_codings(None) == ()
    assert content_codings("identity") == ()
    assert content_codings(" GZIP , identity") == ("gzip",)
    assert content_codings("gzip, gzip") == ("gzip", "gzip")


@pytest.mark.parametrize("header", ["gzip, gzip", "deflate, gzip", "gzip,x-gzip", "br", "zstd"])
def test_stacked_and_unknown_codings_are_refused(header: str) -> None:
    with pytest.raises(UnsupportedEncoding, match="unsupported content encoding"):
        BodyDecoder(header)


def test_every_offered_coding_is_decoded() -> None:
    for coding in accept_encoding().split(","):
        assert not BodyDecoder(coding.strip()).identity


def test_decode_never_returns_more_than_the_limit() -> None:
    decoder = BodyDecoder("gzip")
    raw = gzip_of_zeros(64)  # 64 MiB from ~66 KB
    assert len(decoder.decode(raw, 1000)) == 1000


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_deflate_takes_zlib_and_raw_streams(wbits: int) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    raw = compressor.compress(PAGE) + compressor.flush()
    assert BodyDecoder("deflate").decode(raw, 10_000) == PAGE


def test_corrupt_gzip_is_a_network_failure() -> None:
    with pytest.raises(NetworkFailure, match="cannot decode the gzip body"):
        BodyDecoder("gzip").decode(b"\x1f\x8b\x08\x00garbage" * 10, 10_000)


@pytest.mark.anyio
async def test_stacked_encoding_is_a_failed_fetch_not_retried(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/bomb"] = Reply(200, {"Content-Encoding": "gzip, gzip"}, stacked_gzip_bomb(64))
    transport = CountingTransport()
    async with open_fetcher(fake_time, policy(retries=3), transport=transport) as fetcher:
        result = await fetcher.fetch(server.url("/bomb"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert result.http_status == 200
    assert result.attempts == 1
    assert result.body is None
    assert result.error == "unsupported content encoding 'gzip, gzip': more than one coding layer"
    assert transport.body_bytes_read == 0  # refused on the headers


@pytest.mark.anyio
async def test_one_gzip_layer_still_decodes(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/page"] = Reply(200, {"Content-Encoding": "GZIP"}, gzip.compress(PAGE))
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/page"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE


@pytest.mark.anyio
async def test_stacked_robots_txt_is_unavailable_and_the_page_is_fetched(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/robots.txt"] = Reply(
        200, {"Content-Encoding": "gzip, gzip"}, stacked_gzip_bomb(64)
    )
    server.routes["/page"] = Reply(200, {"Content-Type": "text/html"}, PAGE)
    async with open_fetcher(fake_time, policy(honour_robots=True)) as fetcher:
        result = await fetcher.fetch(server.url("/page"))
    assert result.outcome is FetchOutcome.OK
    assert server.hits("/robots.txt") == 1


def _peak(target: str, layers: int, mebibytes: int) -> tuple[str, bool, int, str]:
    """Poll a bomb in a fresh interpreter: the stored poll's outcome, whether it
    counted as failed, the peak RSS (KiB) and the stored error."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.fetching.peak_memory", target, str(layers), str(mebibytes)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome, failed, peak, error = run.stdout.strip().split(" ", 3)
    return outcome, failed == "True", int(peak), error


@pytest.mark.parametrize(
    ("target", "layers", "outcome", "failed", "error"),
    [
        ("page", 2, "http_error", True, "unsupported content encoding 'gzip, gzip'"),
        ("page", 1, "too_large", True, "larger than the cap"),
        # robots.txt unusable (refused, or cut at its 500 KiB cap): the page is polled.
        ("robots", 2, "not_a_ticker", False, ""),
        ("robots", 1, "not_a_ticker", False, ""),
    ],
)
def test_peak_memory_of_a_bomb_poll_stays_bounded(
    target: str, layers: int, outcome: str, failed: bool, error: str
) -> None:
    # 4 GiB of zeros: 9.7 KB stacked, 4.2 MB single. Before the fix the stacked
    # page's poll peaked at 4,289,908 KiB; now at about 94,000 (the interpreter).
    got, got_failed, peak_kib, message = _peak(target, layers, 4096)
    assert (got, got_failed) == (outcome, failed)
    assert error in message
    assert peak_kib <= PEAK_LIMIT_KIB
