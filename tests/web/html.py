"""Reading the UI's pages in tests: XPath with the result type the caller asked for.

lxml types every XPath result as the union of all it can be (elements, strings,
numbers, booleans); these say which one a path selects, and fail when it selects
something else."""

from __future__ import annotations

from lxml.html import HtmlElement, fromstring


def tree(page: str) -> HtmlElement:
    return fromstring(page)


def elements(node: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements ``path`` selects under ``node``."""
    found = node.xpath(path)
    assert isinstance(found, list), f"{path} selects no node set"
    chosen = [e for e in found if isinstance(e, HtmlElement)]
    assert len(chosen) == len(found), f"{path} selects more than elements"
    return chosen


def strings(node: HtmlElement, path: str) -> list[str]:
    """The attribute values or texts ``path`` selects under ``node``."""
    found = node.xpath(path)
    assert isinstance(found, list), f"{path} selects no node set"
    assert all(isinstance(s, str) for s in found), f"{path} selects more than strings"
    return [str(s) for s in found]
