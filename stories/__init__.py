"""Story matching: entries of a desk's tickers that report one event. Pure, no I/O.

place(state, entries, now) -> (state, placements)     file a poll's new and edited entries
restore(stories, now=...) -> state                    carry on from stored stories
merges(placements) -> {merged id: id it went into}    stories a later entry showed one
story_leads(story) -> StoryLeads                      who was first, by how much
desk_record(stories, tickers, start=, end=) -> ...    per ticker: share first, lead, missed
judge(stories, own=..., now=..., fired=...) -> ...   competitor_first / we_were_first alerts
similarity(features(a), features(b), vocabulary)      how alike two entries are
match(...) -> Match(score, names)                     the same, with its name evidence
"""

from stories.alerts import (
    MIN_LEAD,
    Fired,
    Judgment,
    StoryAlert,
    StoryAlertKind,
    alert_detail,
    judge,
)
from stories.features import Features, features
from stories.leads import Basis, StoryLeads, TickerLead, TickerRecord, desk_record, story_leads
from stories.model import (
    DEFAULT_CONFIG,
    EntryKey,
    Placement,
    PlacementKind,
    Story,
    StoryConfig,
    StoryEntry,
    merges,
)
from stories.placing import place, restore
from stories.similarity import Match, Vocabulary, match, similarity
from stories.state import DeskState

__all__ = [
    "DEFAULT_CONFIG",
    "MIN_LEAD",
    "Basis",
    "DeskState",
    "EntryKey",
    "Features",
    "Fired",
    "Judgment",
    "Match",
    "Placement",
    "PlacementKind",
    "Story",
    "StoryAlert",
    "StoryAlertKind",
    "StoryConfig",
    "StoryEntry",
    "StoryLeads",
    "TickerLead",
    "TickerRecord",
    "Vocabulary",
    "alert_detail",
    "desk_record",
    "features",
    "judge",
    "match",
    "merges",
    "place",
    "restore",
    "similarity",
    "story_leads",
]
