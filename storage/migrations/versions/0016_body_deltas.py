"""Raw bodies as keyframes plus deltas: ``raw_body.keyframe_sha256`` names the keyframe a
delta was compressed against (``storage.deltas``); NULL, as for every body stored so
far, is a whole page.

The downgrade first stores every delta whole again (zstd-9, as ``storage.codec.pack``
does), so no body becomes unreadable; then it drops the column.

Revision ID: 0016_body_deltas
Revises: 0015_story_alerts
Create Date: 2026-12-03
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import zstandard
from alembic import op

revision: str = "0016_body_deltas"
down_revision: str | Sequence[str] | None = "0015_story_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZSTD_LEVEL = 9  # storage.codec.ZSTD_LEVEL when this was written


def upgrade() -> None:
    op.add_column("raw_body", sa.Column("keyframe_sha256", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_raw_body_keyframe_sha256"), "raw_body", ["keyframe_sha256"], unique=False
    )


def downgrade() -> None:
    raw_body = sa.table(
        "raw_body",
        sa.column("sha256", sa.String()),
        sa.column("codec", sa.String()),
        sa.column("stored_size", sa.Integer()),
        sa.column("data", sa.LargeBinary()),
        sa.column("keyframe_sha256", sa.String()),
    )
    connection = op.get_bind()
    deltas = connection.execute(
        sa.select(raw_body.c.sha256, raw_body.c.data, raw_body.c.keyframe_sha256).where(
            raw_body.c.keyframe_sha256.is_not(None)
        )
    ).all()
    for sha256, data, keyframe_sha256 in deltas:
        keyframe = connection.execute(
            sa.select(raw_body.c.codec, raw_body.c.data).where(raw_body.c.sha256 == keyframe_sha256)
        ).one()
        dictionary = zstandard.ZstdCompressionDict(
            _whole(keyframe.codec, keyframe.data), dict_type=zstandard.DICT_TYPE_RAWCONTENT
        )
        body = zstandard.ZstdDecompressor(dict_data=dictionary).decompress(data)
        if hashlib.sha256(body).hexdigest() != sha256:
            raise RuntimeError(f"body {sha256} is damaged; not downgrading")
        whole = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
        connection.execute(
            sa.update(raw_body)
            .where(raw_body.c.sha256 == sha256)
            .values(codec="zstd", stored_size=len(whole), data=whole, keyframe_sha256=None)
        )
    op.drop_index(op.f("ix_raw_body_keyframe_sha256"), table_name="raw_body")
    op.drop_column("raw_body", "keyframe_sha256")


def _whole(codec: str, data: bytes) -> bytes:
    """The raw bytes of a whole-page row (any codec ``storage.codec`` ever wrote)."""
    if codec == "zstd":
        return zstandard.ZstdDecompressor().decompress(data)
    if codec == "gzip":
        return gzip.decompress(data)
    if codec == "identity":
        return data
    raise RuntimeError(f"a keyframe is stored with the unknown codec {codec!r}")
