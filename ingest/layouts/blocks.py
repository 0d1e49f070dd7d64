"""Generic entry discovery: the repeated sibling structure whose members carry times.

Most live blogs render each update as a block (``<article>``, ``<li>``, ``<div>``, a
table row) with a time signal, maybe a headline, and a body; some render a label and
its text as two siblings (``<dt>14:01</dt><dd>…</dd>``). Without knowing the site we
find every element carrying a time signal (:mod:`ingest.layouts.signals`), climb from
each to every ancestor, and treat each parent whose children hold signals as a
*candidate*: its look-alike children (same tag and class skeleton) are the entries.
Candidates are scored by shape, never by class names:

- how many entries carry a time, and what share of the look-alikes do;
- the text mass of the entries (a list of bare labels or headlines is no ticker);
- whether an entry holds several different times (then the candidate sits too high:
  its children are sections holding many entries);
- how much of the text is link text (a list of links is a teaser list or a newsticker,
  which :mod:`ingest.layouts.newsticker` reads).

The best candidate's entries are split into time, headline and body by
:mod:`ingest.layouts.entryparts`; a day heading among them dates the clock times of the
entries below it (:mod:`ingest.layouts.dayheads`); when each day is a section of its own,
the look-alike sections beside the best candidate's are read with it. Every candidate
comes back with its score and why it lost, for ``parse --explain``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from lxml.html import HtmlElement

from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.layouts.dayheads import Day, day_heading, days_of
from ingest.layouts.entryparts import link_share, read_entry, textual_mass
from ingest.layouts.signals import carriers, label_text, match_minute
from ingest.model import Candidate

RANK = 20
MIN_BLOCKS = 2
# Entries of a ticker carry body text ("Gelbe Karte für Müller" is 22 characters).
MIN_AVERAGE_BODY_CHARS = 12
# Above this share of link text in most entries, the list is links, not a ticker.
MAX_LINK_SHARE = 0.6
PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
# Match minutes alone make a ticker only in numbers: one "90'" is a caption.
MIN_MATCH_MINUTES = 5
# Reported to --explain, best first.
MAX_CANDIDATES_REPORTED = 6
# Relative labels alone ("12 min ago") make a ticker only in numbers, all in order.
MIN_RELATIVE_BLOCKS = 3
# Reader comments show relative labels over body text too; these words name them.
_COMMENT_RE = re.compile(r"comment|kommentar|reply|antwort|forum|discussion", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """One candidate structure: the element groups that would be its entries."""

    parent: HtmlElement
    groups: tuple[tuple[HtmlElement, ...], ...]  # per entry: its elements in page order
    timed: int
    score: float
    selector: str | None
    verdict: str = ""


def signature(element: HtmlElement) -> tuple[str, str]:
    classes = (element.get("class") or "").split()
    return (str(element.tag), classes[0] if classes else "")


def _css_class(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else f"\\{c}" for c in name)


def _css_step(element: HtmlElement) -> str:
    element_id = element.get("id")
    if element_id and element_id.replace("-", "").replace("_", "").isalnum():
        return f"#{_css_class(element_id)}"
    classes = (element.get("class") or "").split()
    return str(element.tag) + (f".{_css_class(classes[0])}" if classes else "")


def css_selector(parent: HtmlElement, member: HtmlElement) -> str:
    """A CSS selector of ``member``'s look-alikes under ``parent``: up to two ancestor
    steps (or one with an id), then the member's tag and first class."""
    steps = [_css_step(parent)]
    if not steps[0].startswith("#"):
        grand = parent.getparent()
        if grand is not None and grand.tag not in ("html", "body"):
            steps.insert(0, _css_step(grand))
    return " > ".join([*steps, _css_step(member).split("#")[0] or str(member.tag)])


def _member_step(member: HtmlElement) -> str:
    classes = (member.get("class") or "").split()
    return str(member.tag) + (f".{_css_class(classes[0])}" if classes else "")


def _holders(body: HtmlElement, found: list[HtmlElement]) -> dict[HtmlElement, set[HtmlElement]]:
    """Parent → its children that hold (or are) a carrier."""
    holders: dict[HtmlElement, set[HtmlElement]] = defaultdict(set)
    for carrier in found:
        child = carrier
        for parent in carrier.iterancestors():
            holders[parent].add(child)
            if parent is body:
                break
            child = parent
    return holders


def _is_label_only(member: HtmlElement, found: set[HtmlElement]) -> bool:
    """A member that holds nothing but its time label ("<dt>14:01</dt>")."""
    return textual_mass((member,), found) <= 3


def _groups(
    parent: HtmlElement, timed_children: set[HtmlElement], found: set[HtmlElement]
) -> tuple[tuple[tuple[HtmlElement, ...], ...], str] | None:
    """The entries under ``parent``: look-alike members, or label-led runs of siblings."""
    children = [c for c in parent if isinstance(c.tag, str)]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for child in children:
        if child in timed_children:
            counts[signature(child)] += 1
    if not counts:
        return None
    lead_sig = max(counts, key=lambda s: counts[s])
    lead_tag = lead_sig[0]
    timed = [c for c in children if c in timed_children and c.tag == lead_tag]
    if len(timed) < MIN_BLOCKS:
        return None
    labels_only = sum(1 for c in timed if _is_label_only(c, found))
    same_untimed = [c for c in children if signature(c) == lead_sig and c not in timed_children]
    if labels_only * 2 > len(timed) or (lead_tag in PARAGRAPH_TAGS and same_untimed):
        # Label-led runs: each timed element opens an entry that runs to the next one,
        # or to a day heading, which belongs to the entries below it (dayheads.days_of).
        groups: list[tuple[HtmlElement, ...]] = []
        current: list[HtmlElement] = []
        for child in children:
            if child in timed_children and child.tag == lead_tag:
                if current:
                    groups.append(tuple(current))
                current = [child]
            elif current and day_heading(child) is not None:
                groups.append(tuple(current))
                current = []
            elif current:
                current.append(child)
        if current:
            groups.append(tuple(current))
        return tuple(groups), "runs"
    members = [
        c
        for c in children
        if (c in timed_children and c.tag == lead_tag) or signature(c) == lead_sig
    ]
    return tuple((m,) for m in members), "blocks"


def _distinct_times(group: tuple[HtmlElement, ...], found: set[HtmlElement]) -> int:
    """How many different time signals the group's descendants carry (its own root's
    attributes aside): three or more means the group holds several entries."""
    labels = set()
    for element in group:
        for e in element.iterdescendants():
            if e in found and not any(a in found for a in _ancestors_below(e, element)):
                labels.add(e.get("datetime") or label_text(e) or "")
    return len(labels)


def _ancestors_below(element: HtmlElement, root: HtmlElement) -> list[HtmlElement]:
    out = []
    for ancestor in element.iterancestors():
        if ancestor is root:
            break
        out.append(ancestor)
    return out


def _candidates(page: PageInput) -> tuple[list[Found], set[HtmlElement]]:
    assert page.root is not None
    body = page.root.find("body")
    body = body if body is not None else page.root
    found = carriers(body, page.observed_at)
    if len(found) < MIN_BLOCKS:
        return [], set(found)
    found_set = set(found)
    out: list[Found] = []
    for parent, children in _holders(body, found).items():
        if len(children) < MIN_BLOCKS:
            continue
        grouped = _groups(parent, children, found_set)
        if grouped is None:
            continue
        groups, mode = grouped
        timed = sum(1 for g in groups if any(e in children for e in g))
        texts = [textual_mass(g, found_set) for g in groups]
        average = sum(texts) / len(texts) if texts else 0
        crowded = sum(1 for g in groups if _distinct_times(g, found_set) >= 3)
        links = sum(1 for g in groups if link_share(g) > MAX_LINK_SHARE)
        share = timed / len(groups)
        score = timed * (0.5 + 0.5 * share) * min(1.0, average / 40 + 0.25)
        verdict = ""
        if crowded * 2 > len(groups):
            score *= 0.1
            verdict = "its blocks hold several entries each (a container of sections)"
        if links * 2 > len(groups):
            score *= 0.05
            verdict = "mostly link text: a teaser list or newsticker, not entry bodies"
        if average < MIN_AVERAGE_BODY_CHARS:
            score *= 0.2
            verdict = verdict or f"too little text per entry ({average:.0f} characters)"
        first = next(g[0] for g in groups if any(e in children for e in g))
        selector = css_selector(parent, first) if mode == "blocks" else None
        if mode == "runs":
            selector = None
            verdict = verdict or ""
        out.append(Found(parent, groups, timed, round(score, 2), selector, verdict))
    # Best first; among equal scores the tighter (deeper) parent.
    out.sort(key=lambda f: (-f.score, -sum(1 for _ in f.parent.iterancestors())))
    return out, found_set


def _sibling_sections(best: Found, found: set[HtmlElement]) -> Found:
    """``best`` widened to the look-alike sections beside its parent.

    Tickers that run over days often wrap each day in a section of its own, with its
    day heading inside (``<section><h2>Tuesday, Jan. 14</h2><div class="post">…``).
    The parent of the posts is then one section, and every other day is a sibling
    section of the same tag and class holding posts of the same shape: those are the
    same stream, read in page order. A section with a single post is no candidate of
    its own, so the posts are looked for here rather than among the candidates.
    """
    if best.selector is None:
        return best  # label-led runs: their sections are read by the paragraph reader
    section = best.parent
    outer = section.getparent()
    if outer is None or outer.tag == "html":
        return best
    member_sigs = {signature(g[0]) for g in best.groups}
    groups: list[tuple[HtmlElement, ...]] = []
    timed = 0
    sections = 0
    for sibling in outer:
        if sibling is section:
            groups.extend(best.groups)
            timed += best.timed
            sections += 1
            continue
        if not isinstance(sibling.tag, str) or signature(sibling) != signature(section):
            continue
        members = [c for c in sibling if isinstance(c.tag, str) and signature(c) in member_sigs]
        carried = sum(1 for m in members if any(e in found for e in m.iter()))
        links = sum(1 for m in members if link_share((m,)) > MAX_LINK_SHARE)
        if carried == 0 or links * 2 > len(members):
            continue  # no posts, or a list of teaser links shaped like them
        groups.extend((m,) for m in members)
        timed += carried
        sections += 1
    if sections < 2:
        return best
    return replace(best, groups=tuple(groups), timed=timed)


def _days(best: Found) -> list[Day | None]:
    """Per group, the day its day heading names: the nearest one above it in its own
    section, else the one above its section (:func:`dayheads.days_of`)."""
    sections = list(dict.fromkeys(g[0].getparent() for g in best.groups))
    outer = sections[0].getparent() if sections else None
    if len(sections) < 2 or outer is None or None in sections:
        return days_of(best.parent, best.groups)
    above = dict(zip(sections, days_of(outer, [(s,) for s in sections]), strict=True))
    out: list[Day | None] = []
    for section in sections:
        groups = [g for g in best.groups if g[0].getparent() is section]
        out.extend(day or above[section] for day in days_of(section, groups))
    return out


def _relative_ticker(entries: list[RawEntry], best: Found) -> bool:
    """Whether entries timed by relative labels alone still read as a ticker: at least
    :data:`MIN_RELATIVE_BLOCKS`, every one labelled, in one time order down the page,
    and not a reader-comment thread (which shows the same shape)."""
    ages = [e.stamp.relative for e in entries]
    if len(ages) < MIN_RELATIVE_BLOCKS or any(a is None for a in ages):
        return False
    known = [a for a in ages if a is not None]
    ordered = known == sorted(known) or known == sorted(known, reverse=True)
    marks = " ".join(
        f"{e.get('class') or ''} {e.get('id') or ''}"
        for element in (best.parent, *(g[0] for g in best.groups))
        for e in (element, *element.iterancestors())
    )
    return ordered and not _COMMENT_RE.search(marks)


def discover(page: PageInput) -> tuple[Found | None, list[Found]]:
    """The best candidate structure (None when none qualifies) and all candidates."""
    if page.root is None:
        return None, []
    found, _ = _candidates(page)
    viable = [f for f in found if not f.verdict and f.timed >= MIN_BLOCKS]
    return (viable[0] if viable else None), found


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    found, carried = _candidates(page)
    viable = [f for f in found if not f.verdict and f.timed >= MIN_BLOCKS]
    reports = tuple(
        Candidate(
            layout="blocks",
            entries=len(f.groups),
            timed=f.timed,
            score=f.score,
            verdict=f.verdict or ("chosen" if viable and f is viable[0] else "lower score"),
            selector=f.selector,
        )
        for f in found[:MAX_CANDIDATES_REPORTED]
    )
    if not viable:
        return Reading(layout="blocks", entries=(), rank=RANK, candidates=reports)
    best = _sibling_sections(viable[0], carried)
    entries: list[RawEntry] = []
    for group, day in zip(best.groups, _days(best), strict=True):
        entry = read_entry(group, carried, page)
        if entry is not None and day is not None and entry.stamp.day is None:
            # A clock time under a day heading is on that day, however far the entry
            # above it is (dating.resolve_times).
            entry = replace(entry, stamp=replace(entry.stamp, day=day))
        if entry is not None:
            entries.append(entry)
    clocked = sum(1 for e in entries if e.stamp.machine or e.stamp.clock)
    # A sports ticker counts match minutes ("95'") instead of clock times.
    minutes = sum(1 for e in entries if e.time_label and match_minute(e.time_label))
    if minutes >= MIN_MATCH_MINUTES and minutes * 2 > len(entries):
        clocked = max(clocked, minutes)
    if clocked == 0 and _relative_ticker(entries, best):
        # Live-news posts that print only "12 min ago" over full bodies: a ticker.
        clocked = len(entries)
    if clocked == 0 or (clocked < MIN_BLOCKS and best.parent.tag in ("body", "html")):
        # A stray relative label or two is too weak evidence of a ticker; so is one
        # time among the page's top-level sections.
        return Reading(layout="blocks", entries=(), rank=RANK, candidates=reports)
    if sum(len(e.text) for e in entries) < MIN_AVERAGE_BODY_CHARS * len(entries):
        return Reading(layout="blocks", entries=(), rank=RANK, candidates=reports)
    return Reading(
        layout="blocks",
        entries=tuple(entries),
        rank=RANK,
        candidates=reports,
        selector=best.selector,
    )
