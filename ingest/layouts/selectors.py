"""Per-ticker selectors: the way in when entry discovery reads a page wrong.

A user who knows the page names its entries in CSS (:class:`~ingest.model.EntrySelectors`):
``entry`` selects the entry blocks on the page; ``time``, ``headline``, ``body`` and
``native_id`` are relative to one block (descendants only). ``native_id`` is ``@name``
for an attribute of the block, ``CSS@name`` for an attribute of an element in it, or
``CSS`` for that element's ``id`` (else its text).

Times are read from the time element as the generic reader does, most trustworthy
first: a ``datetime`` or ``data-*`` attribute holding an ISO or epoch value, then the
element's text (ISO, a clock label, a title attribute), a relative label last.
Without a time selector only the block's own attributes are read.

Selectors are the user's text, so a bad one is a value here, never an exception:
:func:`selector_problems` says what is wrong with each field, and :func:`read_with`
returns a :class:`Reading` without entries whose ``warnings`` say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, fields

from cssselect import HTMLTranslator, SelectorError
from lxml import etree
from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import element_text
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.layouts.entryparts import ID_ATTRIBUTES
from ingest.layouts.signals import TIME_ATTRIBUTES
from ingest.model import EntrySelectors
from ingest.text import clean_inline
from ingest.timestamps import find_clock, is_relative_label, parse_machine_time, parse_relative

LAYOUT = "selectors"
# Chosen by the user for this ticker: above every generic reader and site profile.
RANK = 200
# Longer selectors are not something a person typed; refusing them bounds the work.
MAX_SELECTOR_CHARS = 500

_TRANSLATOR = HTMLTranslator()


@dataclass(frozen=True, slots=True)
class _Compiled:
    entry: etree.XPath
    time: etree.XPath | None
    headline: etree.XPath | None
    body: etree.XPath | None
    id_path: etree.XPath | None
    id_attribute: str | None


def _xpath(css: str, *, prefix: str) -> etree.XPath:
    """The CSS selector as a compiled XPath; raises ``ValueError`` with the reason."""
    text = css.strip()
    if not text:
        raise ValueError("empty selector")
    if len(text) > MAX_SELECTOR_CHARS:
        raise ValueError(f"longer than {MAX_SELECTOR_CHARS} characters")
    try:
        return etree.XPath(_TRANSLATOR.css_to_xpath(text, prefix=prefix))
    except (SelectorError, etree.XPathError) as error:
        raise ValueError(str(error) or type(error).__name__) from error


def _id_parts(value: str) -> tuple[str | None, str | None]:
    """``@name`` → (None, name); ``CSS@name`` → (CSS, name); ``CSS`` → (CSS, None)."""
    css, at, attribute = value.strip().rpartition("@")
    if not at:
        return value.strip(), None
    if not attribute.strip() or not all(c.isalnum() or c in "-_:" for c in attribute.strip()):
        raise ValueError(f"{'@' + attribute!r} is not an attribute name")
    return (css.strip() or None), attribute.strip()


def _compile(selectors: EntrySelectors) -> _Compiled | tuple[str, ...]:
    problems: list[str] = []
    compiled: dict[str, etree.XPath | None] = {}
    for name in ("entry", "time", "headline", "body"):
        css = getattr(selectors, name)
        if css is None:
            compiled[name] = None
            continue
        prefix = "descendant-or-self::" if name == "entry" else "descendant::"
        try:
            compiled[name] = _xpath(css, prefix=prefix)
        except ValueError as error:
            problems.append(f"invalid {name} selector {css!r}: {error}")
    id_path: etree.XPath | None = None
    id_attribute: str | None = None
    if selectors.native_id is not None:
        try:
            id_css, id_attribute = _id_parts(selectors.native_id)
            id_path = _xpath(id_css, prefix="descendant::") if id_css else None
        except ValueError as error:
            problems.append(f"invalid id selector {selectors.native_id!r}: {error}")
    if problems:
        return tuple(problems)
    entry = compiled["entry"]
    assert entry is not None
    return _Compiled(
        entry, compiled["time"], compiled["headline"], compiled["body"], id_path, id_attribute
    )


def selector_problems(selectors: EntrySelectors) -> tuple[str, ...]:
    """What is wrong with each selector, in words; empty when all compile."""
    compiled = _compile(selectors)
    return compiled if isinstance(compiled, tuple) else ()


def selectors_from(**values: str | None) -> EntrySelectors | None:
    """Selectors from form or command-line fields (``entry``, ``time``, ``headline``,
    ``body``, ``native_id``; blank means unset), or None when no entry selector is given.

    Raises ``ValueError`` when a field is set without an entry selector, since the
    others are relative to an entry block.
    """
    known = {f.name for f in fields(EntrySelectors)}
    unknown = set(values) - known
    if unknown:
        raise TypeError(f"unknown selector fields: {sorted(unknown)}")
    cleaned = {k: (v.strip() if v and v.strip() else None) for k, v in values.items()}
    entry = cleaned.pop("entry", None)
    if entry is None:
        given = sorted(k for k, v in cleaned.items() if v)
        if given:
            raise ValueError(f"the {', '.join(given)} selector needs an entry selector too")
        return None
    return EntrySelectors(entry=entry, **cleaned)


def _elements(found: object) -> Iterator[HtmlElement]:
    if isinstance(found, list):
        yield from (e for e in found if isinstance(e, HtmlElement))


def _first(block: HtmlElement, path: etree.XPath | None) -> HtmlElement | None:
    if path is None:
        return None
    return next(_elements(path(block)), None)


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Matches not nested inside another match: "p" must not count a quote's p twice."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def _machine_attribute(
    element: HtmlElement, page: PageInput, *, any_data: bool
) -> tuple[Stamp, str] | None:
    """A machine time in the element's time attributes; with ``any_data`` (the element
    the user named as the time) in any ``data-*`` attribute too. Not so on the block,
    where a numeric ``data-id`` would read as an epoch time."""
    extra = [k for k in element.attrib if str(k).startswith("data-")] if any_data else []
    for name in dict.fromkeys([*TIME_ATTRIBUTES, *extra]):
        value = element.get(name)
        machine = parse_machine_time(value, page.zone) if value else None
        if machine is not None and value is not None:
            return Stamp(machine=machine), value
    return None


def _stamp(
    block: HtmlElement, time_element: HtmlElement | None, page: PageInput
) -> tuple[Stamp, str | None]:
    """The block's time evidence: attributes, then text, then a relative label."""
    if time_element is None:
        from_block = _machine_attribute(block, page, any_data=False)
        return from_block if from_block is not None else (Stamp(), None)
    for element in (time_element, block):
        found = _machine_attribute(element, page, any_data=element is time_element)
        if found is not None:
            shown = clean_inline(time_element.text_content())
            return found[0], shown or found[1]
    text = clean_inline(time_element.text_content()) or clean_inline(
        time_element.get("title") or ""
    )
    if not text:
        return Stamp(), None
    machine = parse_machine_time(text, page.zone)
    if machine is not None:
        return Stamp(machine=machine), text
    clock = find_clock(text)
    if clock is not None:
        return Stamp(clock=clock), text
    relative = parse_relative(text, page.observed_at) if is_relative_label(text) else None
    return Stamp(relative=relative), text


def _native_id(block: HtmlElement, compiled: _Compiled) -> str | None:
    if compiled.id_path is None and compiled.id_attribute is None:
        return next((str(v) for a in ID_ATTRIBUTES if (v := block.get(a))), None)
    holder = block if compiled.id_path is None else _first(block, compiled.id_path)
    if holder is None:
        return None
    if compiled.id_attribute is not None:
        value = holder.get(compiled.id_attribute)
    else:
        value = holder.get("id") or clean_inline(holder.text_content())
    cleaned = str(value).strip() if value else ""
    return cleaned or None


def _without(block: HtmlElement, skip: set[HtmlElement]) -> HtmlElement:
    """A copy of the block without the skipped subtrees (time, headline); the text
    around them stays, so a body written straight into the block is kept."""
    if not skip:
        return block
    paths = []
    for element in skip:
        path: list[int] = []
        child = element
        for parent in element.iterancestors():
            path.append(parent.index(child))
            if parent is block:
                break
            child = parent
        paths.append(path[::-1])
    copy = deepcopy(block)
    targets = []
    for path in paths:
        target = copy
        for index in path:
            target = target[index]
        targets.append(target)
    for target in targets:
        if target.getparent() is not None:
            target.drop_tree()
    return copy


def read_with(selectors: EntrySelectors, page: PageInput) -> Reading | None:
    """The page's entries where the selectors say they are.

    None for a plain-text page (no tree to select in). Otherwise a reading of layout
    ``selectors``; it has no entries, and a warning that says why, when a selector is
    invalid or the entry selector matches nothing readable.
    """
    if page.root is None:
        return None
    compiled = _compile(selectors)
    if isinstance(compiled, tuple):
        return Reading(layout=LAYOUT, entries=(), warnings=compiled, rank=RANK)
    blocks = _outermost(list(_elements(compiled.entry(page.root))))
    entries: list[RawEntry] = []
    untimed = 0
    for block in blocks:
        time_element = _first(block, compiled.time)
        headline_element = _first(block, compiled.headline)
        skip = {e for e in (time_element, headline_element) if e is not None}
        if compiled.body is not None:
            body_parts = [
                e
                for e in _outermost(list(_elements(compiled.body(block))))
                if e not in skip and not any(a in skip for a in e.iterancestors())
            ]
        else:
            body_parts = [_without(block, skip)]
        text = "\n\n".join(t for t in (element_text(e) for e in body_parts) if t)
        headline = (
            clean_inline(headline_element.text_content()) if headline_element is not None else ""
        )
        if not text and not headline:
            continue
        stamp, label = _stamp(block, time_element, page)
        if stamp == Stamp():
            untimed += 1
        entries.append(
            RawEntry(
                text=text,
                html_parts=tuple(body_parts),
                headline=headline or None,
                stamp=stamp,
                time_label=label,
                native_id=_native_id(block, compiled),
            )
        )
    warnings: list[str] = []
    if not blocks:
        warnings.append(f"the entry selector {selectors.entry!r} matches nothing on the page")
    elif not entries:
        warnings.append(
            f"the entry selector {selectors.entry!r} matches {len(blocks)} elements, none with text"
        )
    elif untimed:
        where = f"the time selector {selectors.time!r}" if selectors.time else "no time selector"
        warnings.append(f"{untimed} of {len(entries)} entries have no time ({where})")
    return Reading(layout=LAYOUT, entries=tuple(entries), warnings=tuple(warnings), rank=RANK)
