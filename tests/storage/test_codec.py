"""Raw-body compression: every codec a row may name stays readable."""

from __future__ import annotations

import pytest

from storage.codec import DEFAULT_CODEC, Codec, pack, sha256_hex, unpack
from storage.errors import CorruptBody, InvalidValue
from tests.paths import CORPUS


@pytest.fixture(scope="module")
def real_page() -> bytes:
    pages = sorted(CORPUS.rglob("*.html"), key=lambda p: p.stat().st_size)
    return pages[len(pages) // 2].read_bytes()


@pytest.mark.parametrize("codec", list(Codec))
def test_every_codec_round_trips(codec: Codec, real_page: bytes) -> None:
    packed = pack(real_page, codec)
    assert (packed.sha256, packed.codec, packed.size) == (
        sha256_hex(real_page),
        codec,
        len(real_page),
    )
    assert unpack(codec.value, packed.data, sha256=packed.sha256) == real_page
    assert pack(real_page, codec) == packed  # deterministic: equal bodies, equal rows


def test_the_default_compresses_real_pages_well(real_page: bytes) -> None:
    assert DEFAULT_CODEC is Codec.ZSTD
    assert len(real_page) / len(pack(real_page).data) > 3


def test_empty_body() -> None:
    packed = pack(b"")
    assert unpack(packed.codec.value, packed.data, sha256=packed.sha256) == b""


def test_a_damaged_body_is_reported() -> None:
    packed = pack(b"<html>eins</html>", Codec.IDENTITY)
    with pytest.raises(CorruptBody):
        unpack("identity", b"<html>zwei</html>", sha256=packed.sha256)
    with pytest.raises(InvalidValue):
        unpack("brotli", packed.data, sha256=packed.sha256)
