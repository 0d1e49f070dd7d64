"""Which entry of the page is which entry the ticker has known.

Stages, most certain first; each later stage sees only what the earlier ones left:

1. **Native ids**, once they are seen to be stable: ids that recur from the known
   entries and agree with every match the content makes on its own. CMSs that mint
   fresh ids, or number entries by position, fail that test and are ignored. A link
   whose slug followed a new headline keeps its article number: the leftovers pair
   by that number when it names one entry on each side (:func:`article_number`).
2. **Exact content**: normalized text + headline; then text alone (a retitled entry);
   then headline + clock minute (a rewritten body under the same headline and time).
   Identical keys on several entries (two "Tor für Bayern!" in one match) are paired
   by time and order, never merged; identical text at clearly different times is two
   entries.
3. **Fuzzy** (:mod:`diffing.similarity`): similar text weighed with time, headline and
   position, solved as one assignment over all leftovers.

Known entries of every status take part: live, removed (so a restored entry keeps
its id) and paged out (an entry the page shows again).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from diffing.assignment import assign
from diffing.config import DEFAULT_CONFIG, DiffConfig
from diffing.features import Features, of_entry, of_known
from diffing.model import KnownEntry, MatchMethod
from diffing.similarity import Anchors, fuzzy_pairs
from diffing.timing import minute_gap
from ingest.model import Entry

# Native ids must carry the same content to count as agreeing: ratio of case-folded
# text, 0..100 (an edit keeps ~95; the neighbour that a positional id now names, ~50).
_NATIVE_ID_SAME_CONTENT = 80

# An article number in a link: a run of four or more digits that is not a year.
_NUMBER = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")

# The exact stages, most specific key first. A key of None keeps an entry out of a tier.
_EXACT_TIERS: tuple[tuple[MatchMethod, Callable[[Features], Hashable | None]], ...] = (
    (MatchMethod.EXACT, lambda f: (f.text, f.headline) if f.text or f.headline else None),
    (MatchMethod.TEXT, lambda f: f.text or None),
    (
        MatchMethod.HEADLINE_TIME,
        lambda f: (f.headline, f.minute) if f.headline and f.minute is not None else None,
    ),
)


@dataclass(frozen=True, slots=True)
class Pair:
    """The entry at page position ``position`` is the known entry ``entry_id``."""

    position: int
    entry_id: str
    method: MatchMethod
    score: float = 1.0  # the fuzzy weight; 1.0 for the exact stages


@dataclass(frozen=True, slots=True)
class Matching:
    """The identity verdict for one page.

    Positions are indexes into ``ParsedPage.entries``. ``new_positions`` are entries
    no known entry matches; ``unmatched`` the known entries (ids) the page lacks.
    """

    pairs: tuple[Pair, ...]
    new_positions: tuple[int, ...]
    unmatched: tuple[str, ...]
    native_ids_trusted: bool

    def by_position(self) -> dict[int, Pair]:
        return {pair.position: pair for pair in self.pairs}


def match(
    known: Sequence[KnownEntry],
    entries: Sequence[Entry],
    *,
    config: DiffConfig = DEFAULT_CONFIG,
) -> Matching:
    """Tie every entry of a page to a known entry, or to none (a new entry)."""
    kf = [of_known(k) for k in known]
    pf = [of_entry(e, i) for i, e in enumerate(entries)]
    window = config.retime_window.total_seconds() / 60

    def compatible(p: Features, k: Features) -> bool:
        # Identical text at clearly different times is two entries (sports tickers
        # repeat "Tor für Bayern!"); without trustworthy times, text decides.
        return p.minute is None or k.minute is None or minute_gap(p.minute, k.minute) <= window

    def same_or_no_ids(p: Features, k: Features) -> bool:
        # Trusted ids are identities: two different ids are two entries, however
        # alike their content ("Kalenderblatt: 28. Januar" and "... 30. Januar",
        # one link each, both at 23:55).
        return p.native_id is None or k.native_id is None or p.native_id == k.native_id

    def trusted_compatible(p: Features, k: Features) -> bool:
        return same_or_no_ids(p, k) and compatible(p, k)

    def exact_stages(state: _Progress, fits: Callable[[Features, Features], bool]) -> None:
        for method, key in _EXACT_TIERS:
            _match_exact(pf, kf, state, method, key, fits)

    # Content first, to learn whether the page's ids can be trusted; when they can,
    # they go first and content matches what they leave, never across two ids.
    state = _Progress(len(pf), len(kf))
    exact_stages(state, compatible)
    exact = {i: j for i, (j, _, _) in state.page_to_known.items()}
    trusted = native_ids_trusted(pf, kf, exact, config)
    if trusted:
        state = _Progress(len(pf), len(kf))
        _match_native_ids(pf, kf, state)
        _match_article_numbers(pf, kf, state, compatible)
        exact_stages(state, trusted_compatible)

    anchors = Anchors(
        [(i, kf[j].position) for i, (j, _, _) in state.page_to_known.items() if kf[j].live]
    )
    allowed = same_or_no_ids if trusted else None
    for i, j, weight in fuzzy_pairs(
        pf, kf, state.free_page(), state.free_known(), anchors, config, allowed
    ):
        state.take(i, j, MatchMethod.FUZZY, weight)

    pairs = tuple(
        Pair(position=i, entry_id=known[j].entry_id, method=method, score=score)
        for i, (j, method, score) in sorted(state.page_to_known.items())
    )
    return Matching(
        pairs=pairs,
        new_positions=tuple(state.free_page()),
        unmatched=tuple(known[j].entry_id for j in state.free_known()),
        native_ids_trusted=trusted,
    )


def native_ids_trusted(
    page: Sequence[Features],
    known: Sequence[Features],
    exact: Mapping[int, int],
    config: DiffConfig = DEFAULT_CONFIG,
) -> bool:
    """Whether the page's ids name the same entries as the known entries' ids.

    ``exact`` maps page to known indexes of the entries matched by content alone.
    Untrusted when no id recurs (ids minted per render) or when content matches
    contradict the ids: an id numbered by position names another entry as soon as one
    entry is added or removed above it. Content under a new id whose old id left the
    page contradicts nothing: lists of links re-post a daily item under a new link.
    Without content evidence (every entry edited), the recurring ids must mostly still
    carry recognizably the same content.
    """
    known_ids = _unique_ids(known)
    if not any(f.native_id in known_ids for f in page):
        return False
    page_ids = {f.native_id for f in page if f.native_id}
    confirmed = contradicted = 0
    for i, j in exact.items():
        page_id, known_id = page[i].native_id, known[j].native_id
        if page_id and known_id:
            if page_id == known_id:
                confirmed += 1
            elif page_id in known_ids or known_id in page_ids:
                contradicted += 1  # an id that names another entry now: ids by position
            # Otherwise a new id for content whose old id left the page: a re-post under
            # a new link (a daily "Kalenderblatt"), no evidence about the ids either way.
    if confirmed or contradicted:
        return contradicted <= config.native_id_contradictions * (confirmed + contradicted)
    recurring = [(f, known[known_ids[f.native_id]]) for f in page if f.native_id in known_ids]
    agreeing = sum(
        1
        for p, k in recurring
        if p.text == k.text
        or (p.headline and p.headline == k.headline)
        or fuzz.ratio(p.fuzzy, k.fuzzy, score_cutoff=_NATIVE_ID_SAME_CONTENT)
    )
    return agreeing >= config.native_id_agreement * len(recurring)


class _Progress:
    """Which page and known entries are still free, and the pairs taken so far."""

    __slots__ = ("_free_known", "_free_page", "page_to_known")

    def __init__(self, pages: int, knowns: int) -> None:
        self._free_page = set(range(pages))
        self._free_known = set(range(knowns))
        self.page_to_known: dict[int, tuple[int, MatchMethod, float]] = {}

    def free_page(self) -> list[int]:
        return sorted(self._free_page)

    def free_known(self) -> list[int]:
        return sorted(self._free_known)

    def is_free(self, page_index: int, known_index: int) -> bool:
        return page_index in self._free_page and known_index in self._free_known

    def take(self, page_index: int, known_index: int, method: MatchMethod, score: float) -> None:
        self._free_page.remove(page_index)
        self._free_known.remove(known_index)
        self.page_to_known[page_index] = (known_index, method, score)


def _unique_ids(features: Sequence[Features]) -> dict[str, int]:
    """Native id -> index, for ids held by exactly one entry (live ones preferred)."""
    holders: dict[str, list[int]] = defaultdict(list)
    for index, f in enumerate(features):
        if f.native_id:
            holders[f.native_id].append(index)
    out = {}
    for native_id, indexes in holders.items():
        live = [i for i in indexes if features[i].live]
        chosen = live if live else indexes
        if len(chosen) == 1:
            out[native_id] = chosen[0]
    return out


def _match_native_ids(
    page: Sequence[Features], known: Sequence[Features], state: _Progress
) -> None:
    known_ids = _unique_ids(known)
    page_ids = _unique_ids(page)
    for native_id, i in sorted(page_ids.items(), key=lambda item: item[1]):
        j = known_ids.get(native_id)
        if j is not None and state.is_free(i, j):
            state.take(i, j, MatchMethod.NATIVE_ID, 1.0)


def article_number(native_id: str | None) -> str | None:
    """The host and article number(s) a link names an article by, or None.

    CMS links put a number beside a slug made from the headline
    (``/news/sturm-legt-bahn-lahm-102407.html``); a retitle rewrites the slug and keeps
    the number. Years (``/2025/``) and short numbers (``-100.html`` on every article of
    some sites) name no article. Not a link, or no such number: None.
    """
    if not native_id or "://" not in native_id:
        return None
    parts = urlsplit(native_id)
    numbers = [n for n in _NUMBER.findall(parts.path) if not _YEAR.fullmatch(n)]
    return f"{parts.netloc}#{'-'.join(numbers)}" if numbers else None


def _match_article_numbers(
    page: Sequence[Features],
    known: Sequence[Features],
    state: _Progress,
    compatible: Callable[[Features, Features], bool],
) -> None:
    # Only a number held by one entry on each side identifies: a site whose links all
    # end in the same number, or list one article twice, gives no pairs.
    def unique(features: Sequence[Features], free: Sequence[int]) -> dict[str, int]:
        holders: dict[str, list[int]] = defaultdict(list)
        for index, f in enumerate(features):
            number = article_number(f.native_id)
            if number is not None:
                holders[number].append(index)
        return {n: ix[0] for n, ix in holders.items() if len(ix) == 1 and ix[0] in free}

    known_numbers = unique(known, state.free_known())
    for number, i in sorted(unique(page, state.free_page()).items(), key=lambda item: item[1]):
        j = known_numbers.get(number)
        if j is not None and compatible(page[i], known[j]):
            state.take(i, j, MatchMethod.NATIVE_ID, 1.0)


def _match_exact(
    page: Sequence[Features],
    known: Sequence[Features],
    state: _Progress,
    method: MatchMethod,
    key: Callable[[Features], Hashable | None],
    compatible: Callable[[Features, Features], bool],
) -> None:
    known_groups: dict[Hashable, list[int]] = defaultdict(list)
    for j in state.free_known():
        k = key(known[j])
        if k is not None:
            known_groups[k].append(j)
    page_groups: dict[Hashable, list[int]] = defaultdict(list)
    for i in state.free_page():
        k = key(page[i])
        if k is not None and k in known_groups:
            page_groups[k].append(i)
    for group_key, page_indexes in page_groups.items():
        known_indexes = known_groups[group_key]
        if len(page_indexes) == 1 and len(known_indexes) == 1:
            i, j = page_indexes[0], known_indexes[0]
            if compatible(page[i], known[j]):
                state.take(i, j, method, 1.0)
            continue
        # Several entries share the key: pair them by time, status and order.
        ranked_known = sorted(known_indexes, key=lambda j: (known[j].position, j))
        edges = []
        for rank_p, i in enumerate(page_indexes):
            for rank_k, j in enumerate(ranked_known):
                p, k = page[i], known[j]
                if not compatible(p, k):
                    continue
                weight = 1.0
                if p.minute is not None and p.minute == k.minute:
                    weight += 0.5
                if k.live:
                    weight += 0.25
                weight += 0.1 / (1 + abs(rank_p - rank_k))
                edges.append((i, j, weight))
        for i, j in assign(edges):
            state.take(i, j, method, 1.0)
