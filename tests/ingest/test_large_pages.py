"""Reading a page costs time in proportion to its entries (issue 12: a 200,000-entry
page). Measured as operation counts, never as time."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from lxml.html import HtmlElement, fragment_fromstring

from ingest.layouts.signals import signal_elements


class CountingCarriers(AbstractSet[HtmlElement]):
    """A page's time carriers, counting every element handed out by iteration."""

    def __init__(self, elements: list[HtmlElement]) -> None:
        self._elements = set(elements)
        self.visits = 0

    def __contains__(self, element: object) -> bool:
        return element in self._elements

    def __len__(self) -> int:
        return len(self._elements)

    def __iter__(self) -> Iterator[HtmlElement]:
        for element in self._elements:
            self.visits += 1
            yield element


def test_finding_an_entrys_carriers_does_not_walk_the_whole_page() -> None:
    # It copied all of the page's carriers once per entry: quadratic in the entries.
    root = fragment_fromstring(
        "".join(f"<article><time>{n % 24:02d}:00</time>x</article>" for n in range(300)),
        create_parent="div",
    )
    carriers = CountingCarriers(list(root.iter("time")))
    found = [signal_elements(article, carriers) for article in root.iter("article")]
    assert [len(f) for f in found] == [1] * 300
    assert carriers.visits == 0
