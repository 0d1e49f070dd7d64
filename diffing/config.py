"""The thresholds the differ works with, as one value object.

Defaults were measured on the evaluation cases (tests/data/eval) and the unit tests
in tests/diffing; each comment says what the number guards against. The composition
root may build a :class:`DiffConfig` from settings; the differ never reads settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class DiffConfig:
    """How similar two entries must be to be one, and when a page is judged stale.

    Similarities are 0..1 (RapidFuzz Indel ratio over normalized, case-folded text);
    times are compared as minute of the day so that a parser's day roll-over slip is
    not taken for a retime.
    """

    # Texts shorter than this (characters) are "short": sports tickers write one-line
    # entries that differ only in a name ("Gelbe Karte für Müller/Kimmich"), so a short
    # text must be nearly identical to be the same entry.
    short_text_chars: int = 60
    short_ratio: float = 0.90
    # Long texts: a typo fix scores ~0.99, a rewritten clause ~0.85; two different
    # entries built from the same stock sentences score 0.5-0.75.
    long_ratio: float = 0.80
    # One text holds the other (a sentence or paragraph appended or cut), measured as
    # the share of the shorter text's words found in order in the longer one. Needs time
    # (or, without times, position) agreement: stock sentences recur across entries.
    containment: float = 0.90
    containment_min_words: int = 5
    # A rewrite keeping the entry's clock minute and place between its neighbours is
    # an edit when this much of it survives, as word-level similarity (long texts
    # only). Unrelated texts share only function words and score ~0.05 here, while
    # character ratios of unrelated prose reach 0.45 and cannot tell them apart.
    rewrite_word_ratio: float = 0.25
    # Without any time stamps, position agreement plus this much is an edit.
    untimed_rewrite_word_ratio: float = 0.30
    # Retimes seen in practice move an entry by a few minutes (13:31 -> 13:38); a time
    # further off than this needs a near-identical text to be the same entry.
    retime_window: timedelta = timedelta(minutes=20)
    far_time_ratio: float = 0.95
    # A relative label places its entry to the minute ("vor 12 Min.") or the hour
    # ("vor 2 Std."). An entry placed further than this from a known entry's time is
    # not that entry, however it stands in place of it: a new entry on top where a
    # pinned old one stood.
    estimate_tolerance: timedelta = timedelta(minutes=90)
    # A page that looks like an older copy is only believed to be one this long after
    # the last fresh page; after that a top entry that stays missing was deleted.
    stale_horizon: timedelta = timedelta(hours=2)
    # Ids from the page are trusted when at most this share of the entries matched by
    # content carry another id than before (ids numbered by position shift as soon
    # as one entry is added above them) ...
    native_id_contradictions: float = 0.02
    # ... or, with no content match to check them against, when at least this share of
    # the recurring ids still carry recognizably the same content.
    native_id_agreement: float = 0.5
    # A poll that would remove more than this share of the live entries (and at least
    # mass_removal_min of them) is a broken page, not a purge: record paged out.
    max_removed_fraction: float = 0.5
    mass_removal_min: int = 4
    # Candidate groups larger than this are assigned by global best-first order
    # instead of the exact (cubic) assignment.
    max_exact_assignment: int = 120
    # A ticker is reported broken (no entries, or not a ticker) after this many such
    # polls in a row: a consent wall or an error page for one poll is usually gone by the
    # next one (the seed case shows one), and one alert per real breakage is the aim.
    broken_after: int = 2

    def __post_init__(self) -> None:
        for name in (
            "short_ratio",
            "long_ratio",
            "containment",
            "rewrite_word_ratio",
            "untimed_rewrite_word_ratio",
            "far_time_ratio",
            "native_id_agreement",
            "native_id_contradictions",
            "max_removed_fraction",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"DiffConfig.{name} must be within 0..1, got {value}")
        if self.broken_after < 1:
            raise ValueError(f"DiffConfig.broken_after must be at least 1, got {self.broken_after}")
        if min(self.retime_window, self.stale_horizon, self.estimate_tolerance) < timedelta(0):
            raise ValueError("DiffConfig durations must not be negative")


DEFAULT_CONFIG = DiffConfig()
