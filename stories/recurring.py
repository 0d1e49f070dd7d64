"""Regular features: what a ticker files again, word for word, on another day.

A newsroom's daily photo gallery ("Fotografie: Bilder des Tages"), its morning
briefing ("Die Lage am Morgen") or a wire headline run again the next day ("Corona-
Inzidenz in Bayern steigt weiter") carries the same words every day: they tell which
kind of piece it is, not which day's event. Shared with another ticker's entry, those
words would pair a gallery with a photo guide, or today's figures with yesterday's.

:class:`Filed` remembers, per ticker, the gist of every entry filed (its headline's and
lead's words and numbers) for ``StoryConfig.recurring_memory``, in blocks of
:data:`BLOCK`, so that forgetting drops whole blocks instead of visiting every gist.
An entry *recurs* when its ticker filed the same gist under another entry id at
least ``StoryConfig.recurs_after`` earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from immutables import Map

from stories.features import Features
from stories.model import EntryKey, StoryEntry

# A gist: the ticker, the headline's wording and the compared words and numbers.
Gist = tuple[int, str, frozenset[str], frozenset[str]]
BLOCK = timedelta(hours=6)
_BLOCK_SECONDS = int(BLOCK.total_seconds())
_NO_GISTS: Map[Gist, tuple[str, datetime]] = Map()


def _block(when: datetime) -> int:
    return int(when.timestamp()) // _BLOCK_SECONDS


@dataclass(frozen=True, slots=True)
class Filed:
    """Per block of entry times, each gist's earliest filing in it: (entry id, when)."""

    blocks: Map[int, Map[Gist, tuple[str, datetime]]] = field(default_factory=Map)

    def remember(self, key: EntryKey, gist: Gist, when: datetime) -> Filed:
        """These gists and one more filing of ``gist`` by entry ``key`` at ``when``."""
        number = _block(when)
        block = self.blocks.get(number, _NO_GISTS)
        earlier = block.get(gist)
        if earlier is not None and earlier[1] <= when:
            return self
        return Filed(self.blocks.set(number, block.set(gist, (key[1], when))))

    def recurs(self, key: EntryKey, gist: Gist, when: datetime, after: timedelta) -> bool:
        """Whether another entry of the ticker filed ``gist`` at least ``after`` before
        ``when``."""
        last = _block(when - after)
        for number, block in self.blocks.items():
            if number > last:
                continue
            earlier = block.get(gist)
            if earlier is not None and earlier[0] != key[1] and earlier[1] <= when - after:
                return True
        return False

    def forget(self, before: datetime) -> Filed:
        """These gists without the blocks that ended before ``before``."""
        first = _block(before)
        old = [number for number in self.blocks if number < first]
        if not old:
            return self
        mutation = self.blocks.mutate()
        for number in old:
            del mutation[number]
        return Filed(mutation.finish())


def gist(entry: StoryEntry, feats: Features) -> Gist | None:
    """What the entry says, as its ticker's regular features are told by; None for an
    entry without words."""
    if not (feats.words or feats.numbers):
        return None
    return (entry.ticker_id, feats.wording, feats.words, feats.numbers)


def worded_alike(feats: Features, theirs: Features) -> bool:
    """Whether two entries may be compared at all: a regular feature only with an
    entry worded the same, its gallery with the
    other ticker's copy of the gallery, not with a photo guide. Headlines are
    compared without their kickers: one ticker's copy may lack it."""
    if not (feats.recurring or theirs.recurring):
        return True
    mine, other = feats.unkicked or feats, theirs.unkicked or theirs
    return mine.wording == other.wording and mine.numbers == other.numbers
