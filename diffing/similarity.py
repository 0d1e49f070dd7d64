"""The fuzzy stage: which leftover page entries are edited versions of which known ones.

Runs only over what the exact stages left (edited, new and vanished entries), so a
5,000-entry ticker compares a few hundred texts, not millions of pairs. Candidates
come from three sources, each cheap:

- text: RapidFuzz ``process.extract`` with a score cutoff over the leftover known
  entries that share a rarer word with the page entry (:func:`_text_candidates`);
- time: known entries whose clock minute is within the retime window;
- position: live known entries that sat between the same exactly-matched neighbours
  on the last page (a handful around the expected spot).

Each candidate is judged (:func:`judge`) on text similarity, word containment, time,
headline and position; the accepted ones go to :func:`diffing.assignment.assign`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from diffing.assignment import Edge, assign
from diffing.config import DiffConfig
from diffing.features import Features
from diffing.normalize import WordCodec
from diffing.timing import MINUTES_PER_DAY, minute_gap

# How many live neighbours around the expected old position a page entry is compared
# with on position evidence alone (enough for a few entries edited side by side).
_POSITION_NEIGHBOURS = 4
# Below this many leftover known entries, comparing every pair is cheaper than
# building a word index.
_BLOCKING_MIN_POOL = 64
_ANCHOR_SLACK = 2


class Anchors:
    """Exactly matched entries as landmarks: page position -> last page position."""

    __slots__ = ("_new", "_old")

    def __init__(self, pairs: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(pairs)
        self._new = [new for new, _ in ordered]
        self._old = [old for _, old in ordered]

    def __bool__(self) -> bool:
        return bool(self._new)

    def window(self, new_position: int) -> tuple[float, float, float]:
        """The open interval of last-page positions an entry at ``new_position`` may
        have come from, and its expected last-page position."""
        i = bisect_left(self._new, new_position)
        lo = float(self._old[i - 1]) if i > 0 else float("-inf")
        hi = float(self._old[i]) if i < len(self._new) else float("inf")
        if lo > hi:  # neighbours were reordered: any position between them will do
            lo, hi = hi, lo
        if i > 0:
            expected = self._old[i - 1] + (new_position - self._new[i - 1])
        elif i < len(self._new):
            expected = self._old[i] - (self._new[i] - new_position)
        else:
            expected = new_position
        return lo, hi, float(expected)


def fuzzy_pairs(
    page: Sequence[Features],
    known: Sequence[Features],
    free_page: Sequence[int],
    free_known: Sequence[int],
    anchors: Anchors,
    config: DiffConfig,
    allowed: Callable[[Features, Features], bool] | None = None,
) -> list[tuple[int, int, float]]:
    """(page index, known index, weight) of the pairs taken by a maximum-weight
    assignment over all accepted candidates; ``allowed``, when given, vetoes pairs
    that other evidence rules out whatever their similarity."""
    if not free_page or not free_known:
        return []
    candidates = _candidates(page, known, free_page, free_known, anchors, config)
    codec = WordCodec()
    encoded: dict[tuple[str, int], str] = {}

    def words_of(side: str, index: int, feat: Features) -> str:
        key = (side, index)
        if key not in encoded:
            encoded[key] = codec.encode(feat.fuzzy.split(" ") if feat.fuzzy else [])
        return encoded[key]

    edges: list[Edge] = []
    for (i, j), ratio in sorted(candidates.items()):
        p, k = page[i], known[j]
        if allowed is not None and not allowed(p, k):
            continue
        a, b = words_of("p", i, p), words_of("k", j, k)
        common = LCSseq.similarity(a, b)
        shorter = min(len(a), len(b))
        words = WordAgreement(
            ratio=2 * common / (len(a) + len(b)) if a or b else 0.0,
            containment=common / shorter if shorter >= config.containment_min_words else 0.0,
        )
        in_window = _in_window(anchors, i, k) if k.live else False
        weight = judge(p, k, ratio, words, in_window, config)
        if weight is not None:
            edges.append((i, j, weight))
    chosen = assign(edges, max_exact=config.max_exact_assignment)
    weight_of = {(i, j): w for i, j, w in edges}
    return [(i, j, weight_of[(i, j)]) for i, j in chosen]


@dataclass(frozen=True, slots=True)
class WordAgreement:
    """Word-level agreement of two texts.

    ``ratio``: Indel similarity of the word sequences (unrelated prose in one language
    shares only function words: ~0.05; a rewrite keeping a paragraph: 0.35+).
    ``containment``: share of the shorter text's words found in order in the longer
    (0 for texts too short to tell).
    """

    ratio: float
    containment: float


def judge(
    page: Features,
    known: Features,
    ratio: float,
    words: WordAgreement,
    in_window: bool,
    config: DiffConfig,
) -> float | None:
    """The weight of the pair as one entry, or None when it must not be one.

    ``ratio`` is the character-level text similarity, ``words`` the word-level one,
    ``in_window`` whether the known entry sat between the same exactly matched
    neighbours on the last page.
    """
    containment = words.containment
    gap = None
    if page.minute is not None and known.minute is not None:
        gap = minute_gap(page.minute, known.minute)
    window = config.retime_window.total_seconds() / 60
    same_minute = gap == 0
    near = gap is not None and gap <= window
    # Without comparable clock minutes, place decides; unless an estimate (a relative
    # label) puts the two far apart in time, which counts as a far time.
    apart = gap is None and _estimates_apart(page, known, config)
    untimed_in_place = gap is None and in_window and not apart
    head_conflict = bool(page.headline and known.headline and page.headline != known.headline)
    head_same = bool(page.headline and page.headline == known.headline)
    short = min(len(page.fuzzy), len(known.fuzzy)) < config.short_text_chars
    contained = containment >= config.containment and (near or untimed_in_place)
    if (gap is not None and not near) or apart:
        # A retime of more than a few minutes together with an edit is rare; two
        # different entries sharing stock sentences at other times are common, and a
        # short text repeated later ("Tor für Bayern!") is a new entry. Not so the same
        # short entry where the vanished one stood, between the same neighbours: its
        # hour was put right (12:39 -> 11:39).
        ok = ratio >= config.far_time_ratio and (not short or (in_window and not head_conflict))
    elif short:
        ok = ratio >= config.short_ratio or (contained and (same_minute or untimed_in_place))
    else:
        ok = (
            ratio >= config.long_ratio
            or contained
            or (
                words.ratio >= config.rewrite_word_ratio
                and same_minute
                and in_window
                and not head_conflict
            )
            or (
                untimed_in_place
                and words.ratio >= config.untimed_rewrite_word_ratio
                and not head_conflict
            )
        )
    if not ok:
        return None
    base = max(ratio, 0.95 * containment if contained else 0.0)
    return (
        base
        + (0.2 if same_minute else 0.1 if near else 0.0)
        + (0.05 if head_same else -0.05 if head_conflict else 0.0)
        + (0.05 if in_window else 0.0)
        + (0.02 if known.live else 0.0)
    )


def _estimates_apart(page: Features, known: Features, config: DiffConfig) -> bool:
    """Whether both entries have a time, at least one only estimated, further apart
    than ``config.estimate_tolerance``."""
    if page.instant is None or known.instant is None:
        return False
    return abs(page.instant - known.instant) > config.estimate_tolerance


def _text_candidates(
    page: Sequence[Features],
    known: Sequence[Features],
    free_page: Sequence[int],
    free_known: Sequence[int],
    config: DiffConfig,
) -> dict[tuple[int, int], float]:
    """Pairs whose text alone is similar enough to accept, with their ratio.

    Every weaker acceptance needs time or position agreement, and the other two
    candidate sources bring those pairs in; so the cutoff is the lowest text-only
    accept ratio (unrelated prose in one language scores 0.4-0.55 and would only feed
    the judge noise).

    Large pools are blocked on words: texts this similar share words, and a page
    entry is compared only with the known entries that share one of its rarer words
    (held by at most max(16, 5 %) of the pool). An entry whose shared words are all
    common is compared with the whole pool. This keeps a 5,000-entry poll with a few
    hundred edits linear instead of leftover × leftover.
    """
    cutoff = min(config.short_ratio, config.long_ratio) * 100
    out: dict[tuple[int, int], float] = {}

    def compare(i: int, pool: Sequence[int]) -> None:
        choices = [known[j].fuzzy for j in pool]
        for _, score, idx in process.extract(
            page[i].fuzzy, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            out[(i, pool[idx])] = score / 100

    queries = [i for i in free_page if page[i].fuzzy]
    if len(free_known) <= _BLOCKING_MIN_POOL:
        for i in queries:
            compare(i, free_known)
        return out
    holders: dict[str, list[int]] = defaultdict(list)
    for j in free_known:
        for token in set(known[j].fuzzy.split(" ")):
            holders[token].append(j)
    rare = max(16, len(free_known) // 20)
    for i in queries:
        shared = [holders[t] for t in set(page[i].fuzzy.split(" ")) if t in holders]
        if not shared:
            continue  # not one word in common: no text-only match possible
        rare_holders = [h for h in shared if len(h) <= rare]
        if not rare_holders:
            compare(i, free_known)
            continue
        compare(i, sorted(set().union(*rare_holders)))
    return out


def _in_window(anchors: Anchors, page_index: int, known: Features) -> bool:
    """Whether the known entry sat where the page entry now sits, relative to the
    exactly matched entries around it. No anchors, no evidence: a page whose every
    entry changed says nothing about which old entry any new one replaces."""
    if not anchors:
        return False
    lo, hi, expected = anchors.window(page_index)
    # One place of slack each way: neighbours filed a minute apart swap places
    # between polls (a late entry sorted in), and a swapped neighbour is an anchor.
    between = lo - _ANCHOR_SLACK < known.position < hi + _ANCHOR_SLACK
    return between and abs(known.position - expected) <= _POSITION_NEIGHBOURS


def _candidates(
    page: Sequence[Features],
    known: Sequence[Features],
    free_page: Sequence[int],
    free_known: Sequence[int],
    anchors: Anchors,
    config: DiffConfig,
) -> dict[tuple[int, int], float]:
    """Candidate pairs with their text ratio (0..1)."""
    out = _text_candidates(page, known, free_page, free_known, config)
    extra: set[tuple[int, int]] = set()
    by_minute: dict[int, list[int]] = defaultdict(list)
    for j in free_known:
        minute = known[j].minute
        if minute is not None:
            by_minute[minute].append(j)
    window = int(config.retime_window.total_seconds() // 60)
    live_by_position = sorted((known[j].position, j) for j in free_known if known[j].live)
    positions = [pos for pos, _ in live_by_position]
    for i in free_page:
        minute = page[i].minute
        if minute is not None:
            for shift in range(-window, window + 1):
                for j in by_minute.get((minute + shift) % MINUTES_PER_DAY, ()):
                    extra.add((i, j))
        lo, hi, expected = anchors.window(i)
        start = bisect_right(positions, lo - _ANCHOR_SLACK)
        stop = bisect_left(positions, hi + _ANCHOR_SLACK)
        centre = min(max(bisect_left(positions, expected), start), stop)
        for pos_index in range(
            max(start, centre - _POSITION_NEIGHBOURS), min(stop, centre + _POSITION_NEIGHBOURS)
        ):
            extra.add((i, live_by_position[pos_index][1]))
    for i, j in extra:
        if (i, j) not in out:
            out[(i, j)] = fuzz.ratio(page[i].fuzzy, known[j].fuzzy) / 100
    return out
