"""The judgment behind competitor_first and we_were_first, on literal stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from stories import (
    Fired,
    Story,
    StoryAlert,
    StoryAlertKind,
    StoryEntry,
    alert_detail,
    judge,
)

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWN, RIVAL, OTHER = 1, 2, 3
WINDOW = timedelta(hours=6)
CF, WF = StoryAlertKind.COMPETITOR_FIRST, StoryAlertKind.WE_WERE_FIRST


def entry(
    ticker: int, name: str, seen: float, *, printed: float | None = None, title: str = "Brand"
) -> StoryEntry:
    return StoryEntry(
        ticker,
        name,
        title,
        "text",
        first_seen=T0 + timedelta(minutes=seen),
        printed=None if printed is None else T0 + timedelta(minutes=printed),
    )


def run(
    stories: list[Story],
    minute: float,
    *,
    fired: tuple[Fired, ...] = (),
    own: frozenset[int] = frozenset({OWN}),
    lead: int = 10,
) -> tuple[list[tuple[StoryAlertKind, int, int, str]], datetime | None]:
    judgment = judge(
        stories,
        desk_id=7,
        own=own,
        competitors=frozenset({OWN, RIVAL, OTHER}) - own,
        lead_minutes=lead,
        window=WINDOW,
        now=T0 + timedelta(minutes=minute),
        fired=fired,
    )
    found = [(a.kind, a.story_id, a.ticker_id, a.entry_id) for a in judgment.alerts]
    return found, judgment.next_due


def test_competitor_first_fires_after_n_minutes_and_not_before() -> None:
    stories = [Story(1, (entry(RIVAL, "r1", 0),))]
    assert run(stories, 9.9) == ([], T0 + timedelta(minutes=10))
    assert run(stories, 10) == ([(CF, 1, RIVAL, "r1")], None)
    assert run(stories, 200)[0] == [(CF, 1, RIVAL, "r1")]


def test_own_tickers_entries_are_never_alerted() -> None:
    stories = [
        Story(1, (entry(OWN, "o1", 0),)),
        Story(2, (entry(OWN, "o2", 0), entry(OWN, "o3", 30))),
    ]
    assert run(stories, 60) == ([], None)


def test_a_desk_without_an_own_ticker_has_no_alerts() -> None:
    stories = [Story(1, (entry(RIVAL, "r1", 0), entry(OTHER, "x1", 30)))]
    assert run(stories, 60, own=frozenset()) == ([], None)


def test_own_in_time_means_no_alert_and_a_tie_is_nobodys_lead() -> None:
    in_time = [Story(1, (entry(RIVAL, "r1", 0), entry(OWN, "o1", 10)))]
    assert run(in_time, 60) == ([], None)
    tie = [Story(1, (entry(OWN, "o1", 0.5), entry(RIVAL, "r1", 0)))]
    assert run(tie, 60) == ([], None)
    under_a_minute = [Story(1, (entry(OWN, "o1", 0), entry(RIVAL, "r1", 0.9)))]
    assert run(under_a_minute, 60) == ([], None)


def test_own_later_than_n_minutes_is_still_competitor_first() -> None:
    stories = [Story(1, (entry(RIVAL, "r1", 0, printed=-2), entry(OWN, "o1", 25, printed=20)))]
    (alert,) = judge(
        stories,
        desk_id=7,
        own={OWN},
        competitors={RIVAL},
        lead_minutes=10,
        window=WINDOW,
        now=T0 + timedelta(minutes=30),
        fired=(),
    ).alerts
    assert alert.kind is CF
    assert alert.own is not None
    assert alert.own.entry_id == "o1"
    assert alert.lead_seen_minutes == 25
    assert alert.lead_printed_minutes == 22


def test_we_were_first_with_both_leads() -> None:
    stories = [Story(4, (entry(OWN, "o1", 0, printed=-1), entry(RIVAL, "r1", 6, printed=4)))]
    (alert,) = judge(
        stories,
        desk_id=7,
        own={OWN},
        competitors={RIVAL},
        lead_minutes=10,
        window=WINDOW,
        now=T0 + timedelta(minutes=6),
        fired=(),
    ).alerts
    assert (alert.kind, alert.story_id, alert.ticker_id, alert.entry_id) == (WF, 4, RIVAL, "r1")
    assert alert.lead_seen_minutes == 6
    assert alert.lead_printed_minutes == 5


def test_once_per_story_and_competitor_ticker() -> None:
    stories = [Story(1, (entry(RIVAL, "r1", 0), entry(RIVAL, "r2", 3), entry(OTHER, "x1", 1)))]
    found, _ = run(stories, 10)
    assert found == [(CF, 1, RIVAL, "r1")]  # OTHER's is due at 11
    assert run(stories, 11)[0] == [(CF, 1, RIVAL, "r1"), (CF, 1, OTHER, "x1")]
    fired = (Fired(1, RIVAL, "r1", CF),)
    assert run(stories, 11, fired=fired)[0] == [(CF, 1, OTHER, "x1")]
    # Its first entry moved out: the pair has had its alert, the later entry adds none.
    moved_out = [Story(1, (entry(RIVAL, "r2", 3),))]
    assert run(moved_out, 30, fired=fired) == ([], None)


def test_an_entry_moved_to_another_story_is_not_alerted_again() -> None:
    fired = (Fired(1, RIVAL, "r1", CF),)
    moved = [Story(1, (entry(OTHER, "x1", 0),)), Story(2, (entry(RIVAL, "r1", 0),))]
    assert run(moved, 30, fired=fired)[0] == [(CF, 1, OTHER, "x1")]
    # Nor as the other kind: an own entry that turns up earlier in its new story.
    with_ours = [Story(2, (entry(OWN, "o1", -20), entry(RIVAL, "r1", 0)))]
    assert run(with_ours, 30, fired=fired) == ([], None)


def test_nothing_older_than_the_window() -> None:
    old = [Story(1, (entry(RIVAL, "r1", 0),))]
    assert run(old, 6 * 60)[0] == [(CF, 1, RIVAL, "r1")]
    assert run(old, 6 * 60 + 1) == ([], None)
    # A page's first poll: seen now, but printed hours ago.
    backdated = [Story(1, (entry(RIVAL, "r1", 400, printed=0),))]
    assert run(backdated, 420) == ([], None)
    ours_old = [Story(1, (entry(OWN, "o1", 0), entry(RIVAL, "r1", 400, printed=1)))]
    assert run(ours_old, 401) == ([], None)


def test_tickers_that_left_the_desk_are_left_out() -> None:
    stories = [Story(1, (entry(99, "z1", 0),))]
    assert run(stories, 60) == ([], None)


def test_next_due_is_the_earliest_pending_competitor_first() -> None:
    stories = [Story(1, (entry(RIVAL, "r1", 5),)), Story(2, (entry(OTHER, "x1", 2),))]
    assert run(stories, 3) == ([], T0 + timedelta(minutes=12))


@pytest.mark.parametrize(
    ("kind", "own", "expected"),
    [
        (
            CF,
            None,
            "Politik: Rival has it; our tickers did not 10 min later (seen 08:00 UTC, "
            "printed 08:58 +01:00).",
        ),
        (
            CF,
            25.0,
            "Politik: Rival was first, 25 min before Ours (seen 08:00 UTC and 08:25 UTC; "
            "printed 08:58 +01:00 and 08:25 UTC: 27 min ahead).",
        ),
        (
            WF,
            25.0,
            "Politik: we were first: Ours 25 min before Rival (seen 08:00 UTC and 08:25 UTC; "
            "printed 08:58 +01:00 and 08:25 UTC: 27 min ahead).",
        ),
    ],
)
def test_the_detail_says_who_was_first_by_how_much(
    kind: StoryAlertKind, own: float | None, expected: str
) -> None:
    plus_one = timezone(timedelta(hours=1))
    first = StoryEntry(
        RIVAL,
        "r1",
        "Brand",
        "",
        first_seen=T0,
        printed=(T0 - timedelta(minutes=2)).astimezone(plus_one),
    )
    later = None if own is None else entry(OWN, "o1", own, printed=own)
    if kind is WF:
        first, later = (
            StoryEntry(OWN, "o1", "", "", first_seen=T0, printed=first.printed),
            entry(RIVAL, "r1", 25.0, printed=25.0),
        )
    theirs, ours = (later, first) if kind is WF else (first, later)
    assert theirs is not None
    alert = StoryAlert(
        kind,
        7,
        1,
        theirs,
        ours,
        None if own is None else 25.0,
        None if own is None else 27.0,
        10,
    )
    assert alert_detail(alert, names={OWN: "Ours", RIVAL: "Rival"}, desk="Politik") == expected


def test_the_detail_names_printed_times_only_where_both_pages_printed_one() -> None:
    theirs = entry(RIVAL, "r1", 0, printed=-1)
    ours = entry(OWN, "o1", 30)
    alert = StoryAlert(CF, 7, 1, theirs, ours, 30.0, 31.0, 10)
    assert alert_detail(alert, names={}, desk="D") == (
        "D: ticker 2 was first, 30 min before ticker 1 (seen 08:00 UTC and 08:30 UTC)."
    )


def test_a_merged_story_does_not_alert_again_for_a_ticker_it_alerted() -> None:
    # Story 2 alerted for the rival's r2; merged into story 1, which holds an earlier
    # rival entry, the rival's alert for the event has fired: not a second one.
    fired = (Fired(2, RIVAL, "r2", CF),)
    merged = [Story(1, (entry(RIVAL, "r1", 0), entry(RIVAL, "r2", 5), entry(OWN, "o1", 40)))]
    assert run(merged, 60, fired=fired) == ([], None)


def test_entries_on_the_pages_before_the_desk_was_made_alert_nothing() -> None:
    # A new desk files what its tickers' pages already show; that is no news.
    stories = [Story(1, (entry(RIVAL, "r1", 0),)), Story(2, (entry(RIVAL, "r2", 30),))]
    judgment = judge(
        stories,
        desk_id=7,
        own=frozenset({OWN}),
        competitors=frozenset({RIVAL}),
        lead_minutes=10,
        window=WINDOW,
        now=T0 + timedelta(minutes=60),
        fired=(),
        since=T0 + timedelta(minutes=20),  # the desk was made between the two
    )
    assert [(a.story_id, a.entry_id) for a in judgment.alerts] == [(2, "r2")]
