"""A story alert (competitor_first, we_were_first) on the pages that list change events:
the ticker's timeline, the entry's history and the change API show it with its words
and a link to the desk's story, and the timeline filters by its kind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from storage import SqlArchive, SqlStore, create_engine_for
from storage.desks import DeskMember, NewDesk
from storage.desks_sql import SqlDeskStore
from stories import StoryAlert, StoryAlertKind, StoryEntry
from tests.storage.builders import CREATED, Feed, entry
from tests.web.conftest import TestClient, config_for
from web import create_app

DETAIL = "Politik: rival was first, 25 min before own (seen 12:00 UTC and 12:25 UTC)."


@pytest.fixture
def store(sqlite_db: str) -> Iterator[SqlStore]:
    made = SqlStore(create_engine_for(sqlite_db))
    yield made
    made.close()


def test_a_story_alert_reads_on_the_timeline_the_entry_page_and_the_api(
    sqlite_db: str, store: SqlStore
) -> None:
    rival, own = Feed(store, "rival"), Feed(store, "own")
    rival.poll(entry("Großbrand im Hafen von Hamburg.", headline="Brand im Hafen"))
    desks = SqlDeskStore(create_engine_for(sqlite_db))
    members = (DeskMember(own.ticker_id, own=True), DeskMember(rival.ticker_id))
    desk = desks.add(NewDesk("Politik", members=members), created_at=CREATED)
    desks.close()
    (known,) = rival.state().entries
    theirs = StoryEntry(rival.ticker_id, known.entry_id, "Brand im Hafen", "", known.first_seen)
    ours = StoryEntry(own.ticker_id, "o1", "Brand", "", known.first_seen + timedelta(minutes=25))
    alert = StoryAlert(StoryAlertKind.COMPETITOR_FIRST, desk.id, 3, theirs, ours, 25.0, 25.0, 10)
    change = store.record_story_alert(alert, detail=DETAIL, at=rival.now)
    assert change is not None
    story_link = f"/desks/{desk.id}/stories/3"

    archive = SqlArchive(create_engine_for(sqlite_db))
    with TestClient(create_app(store, config_for(), archive=archive)) as http:
        timeline = http.get(f"/tickers/{rival.ticker_id}").text
        assert "competitor first" in timeline
        assert DETAIL in timeline
        only = http.get(f"/tickers/{rival.ticker_id}?kind=competitor_first").text
        assert DETAIL in only
        assert "Großbrand" not in only.split("competitor first", 1)[1].split("</article>")[0]
        history = http.get(f"/entries/{known.entry_id}").text
        assert DETAIL in history
        assert story_link in history
        api = http.get(f"/api/tickers/{rival.ticker_id}/changes?kind=competitor_first").json()
        (event,) = api["items"]
        assert event["kind"] == "competitor_first"
        assert event["title"] == "Brand im Hafen"
        assert event["story"] == {
            "desk_id": desk.id,
            "story_id": 3,
            "detail": DETAIL,
            "lead_minutes": {"seen": 25.0, "printed": 25.0},
        }
        assert event["links"]["story"].endswith(story_link)
    archive.close()
