"""Polled in another season: every evaluation case replayed with its polls moved to
other dates and zones reports the same events, with the same local times.

The pages are unchanged, so nothing a reader sees differs: a page written in April
and polled in December (another UTC offset), on the night of a clock change, or from
another zone is the same page. Every case is replayed on both 2026 clock-change days
in its readers' zone (times compared in that zone); hypothesis draws further days and
poll zones for the cheaper cases (times compared as the wall clock the ticker's zone
shows, since a poll zone far from the page's may rightly move the inferred instant).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.paths import EVAL
from tests.support.seasons import case_zone, comparable, replay_in_memory, shifted

CASES = sorted(
    p
    for name in ("dev", "seed", "real")
    for p in (EVAL / name).iterdir()
    if (p / "meta.json").is_file()
)
# A few polls each: cheap enough to replay for many drawn dates.
CHEAP = [p for p in CASES if p.name in ("text-seedlike", "kim-putin-2019", "ippen-calm")]
POLL_ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
]


@pytest.fixture(scope="module")
def originals() -> dict[str, list[dict[str, Any]]]:
    return {folder.name: replay_in_memory(folder) for folder in CASES}


@pytest.mark.slow
@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)], ids=str)
def test_on_a_clock_change_day_every_case_reports_the_same(
    originals: dict[str, list[dict[str, Any]]], day: date, tmp_path: Path
) -> None:
    for folder in CASES:
        zone = case_zone(folder)
        moved = shifted(folder, tmp_path, day=day, zone=zone)
        expected = comparable(originals[folder.name], zone)
        assert comparable(replay_in_memory(moved), zone) == expected, folder.name


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    case=st.sampled_from(CHEAP),
    day=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    zone=st.sampled_from(POLL_ZONES),
)
def test_on_any_day_from_any_zone_the_same(
    originals: dict[str, list[dict[str, Any]]],
    tmp_path_factory: pytest.TempPathFactory,
    case: Path,
    day: date,
    zone: str,
) -> None:
    moved = shifted(case, tmp_path_factory.mktemp("moved"), day=day, zone=ZoneInfo(zone))
    assert comparable(replay_in_memory(moved), None) == comparable(originals[case.name], None)
