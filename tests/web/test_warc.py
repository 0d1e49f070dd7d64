"""The WARC export: valid for warcio's checker (digests included), one response record
per distinct raw page, a revisit record for each repeat."""

from __future__ import annotations

import hashlib
import io
from argparse import Namespace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from storage import MemoryStore, SqlStore, TickerId, create_engine_for
from storage.archive_scan import ScanArchive
from tests.storage.builders import A, B, Feed
from tests.web.conftest import TestClient
from tests.web.test_api import SEED_URL
from web.warc import warc_date, warc_records


def test_the_warc_of_the_seed_case_validates(
    client: TestClient, seeded_db: str, tmp_path: Path
) -> None:
    response = client.get("/api/tickers/1/export.warc.gz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/warc"
    path = tmp_path / "ticker-1.warc.gz"
    path.write_bytes(response.content)

    checker = Checker(Namespace(inputs=[str(path)], verbose=False))
    assert checker.process_all() == 0

    store = SqlStore(create_engine_for(seeded_db))
    try:
        polls = list(reversed(store.polls(TickerId(1), limit=100)))
        bodies = {p.body_sha256: store.raw_body(p.body_sha256) for p in polls if p.body_sha256}
    finally:
        store.close()
    captured = [p for p in polls if p.body_sha256]

    records = []
    for record in ArchiveIterator(io.BytesIO(response.content)):
        records.append(
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.rec_headers.get_header("WARC-Date"),
                record.content_stream().read(),
            )
        )
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    revisits = [r for r in records if r[0] == "revisit"]
    assert len(responses) == len(bodies)  # one per distinct raw page
    assert len(responses) + len(revisits) == len(captured) == 12
    assert {hashlib.sha256(r[3]).hexdigest() for r in responses} == set(bodies)
    assert all(r[1] == SEED_URL for r in responses + revisits)
    assert [r[2] for r in records[1:]] == [warc_date(p.observed_at) for p in captured]


def test_a_repeated_page_is_a_revisit_of_its_first_response(tmp_path: Path) -> None:
    store = MemoryStore()
    feed = Feed(store)
    feed.poll(A)
    feed.poll(A)  # byte-identical: recorded as unchanged, with its body
    feed.poll(B, A)
    ticker = store.get(feed.ticker_id)
    captures = ScanArchive(store).captures(ticker.id)
    assert len(captures) == 3
    path = tmp_path / "repeat.warc.gz"
    path.write_bytes(b"".join(warc_records(ticker, captures, store.raw_body, created_at=feed.now)))
    assert Checker(Namespace(inputs=[str(path)], verbose=False)).process_all() == 0
    with path.open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Refers-To-Date"), r.rec_headers)
            for r in ArchiveIterator(stream)
        ]
    assert [r[0] for r in records] == ["warcinfo", "response", "revisit", "response"]
    response, revisit = records[1][2], records[2][2]
    assert records[2][1] == response.get_header("WARC-Date")
    assert revisit.get_header("WARC-Payload-Digest") == response.get_header("WARC-Payload-Digest")
    assert "identical-payload-digest" in revisit.get_header("WARC-Profile")
