"""Every payload keeps to its platform's documented limits and keeps its links.

The limits are checked by :mod:`tests.alerts.formatting.checks`, written from the
platforms' documentation and independent of the formatters' own arithmetic. Stress cases
push each limit: a 10,000-character entry, text that escaping multiplies, emoji outside
the Basic Multilingual Plane, one endless word, digests of 5 long and of 200 entries.
Property tests feed arbitrary text through every platform.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.alert import Message, SinkKind
from tests.alerts.formatting.cases import render_for
from tests.alerts.formatting.checks import violations, visible_text
from tests.alerts.formatting.factory import (
    SOURCE,
    UI,
    alert,
    entry,
    long_entry,
    many_changes,
    message,
    scenarios,
)

KINDS = list(SinkKind)
CHAT_KINDS = [kind for kind in SinkKind if kind is not SinkKind.WEBHOOK]


def stress() -> dict[str, Message]:
    return {
        **scenarios(),
        "emoji": message(alert(entry("Gipfel 😀🇷🇺🇰🇵 " * 1_500))),
        "escapes": message(alert(entry("<b>&amp;</b> *_~`|[]() " * 600, headline="<&>" * 90))),
        "one_word": message(alert(entry("x" * 12_000))),
        "long_names": message(
            alert(entry("Text " * 50, headline="Schlagzeile " * 400), name="Ticker " * 300)
        ),
        "digest_5_long": message(*(alert(c) for c in many_changes(5, text="Wort " * 2_000))),
        "digest_200": message(*(alert(c) for c in many_changes(200))),
    }


STRESS = stress()


@pytest.mark.parametrize("case", sorted(STRESS))
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_payload_keeps_to_the_platform_limits(kind: SinkKind, case: str) -> None:
    assert violations(kind, render_for(kind, STRESS[case])) == []


@pytest.mark.parametrize("case", sorted(STRESS))
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_payload_links_the_source_and_the_first_entry_history(kind: SinkKind, case: str) -> None:
    shown = visible_text(render_for(kind, STRESS[case]))
    assert SOURCE in shown
    history = STRESS[case].alerts[0].history_url
    if history:
        assert history in shown


@pytest.mark.parametrize("kind", CHAT_KINDS, ids=lambda k: k.value)
def test_a_long_entry_is_cut_at_a_word_with_an_ellipsis(kind: SinkKind) -> None:
    shown = visible_text(render_for(kind, message(alert(long_entry()))))
    assert "…" in shown
    full = long_entry().current
    assert full is not None
    assert full.version.text not in shown
    # The text goes up to a whole word: what precedes the ellipsis ends a word of the entry.
    words = set(re.findall(r"\w+", full.version.text))
    last = re.findall(r"(\w+)\W*…", shown)
    assert last
    assert all(word in words for word in last)


def test_the_webhook_carries_the_whole_entry() -> None:
    payload = render_for(SinkKind.WEBHOOK, message(alert(long_entry())))
    full = long_entry().current
    assert full is not None
    assert full.version.text in visible_text(payload)


@pytest.mark.parametrize("kind", CHAT_KINDS, ids=lambda k: k.value)
def test_a_digest_too_long_for_one_message_counts_what_it_leaves_out(kind: SinkKind) -> None:
    digest = STRESS["digest_200"]
    shown = visible_text(render_for(kind, digest))
    listed = sum(1 for a in digest.alerts if a.history_url and a.history_url in shown)
    more = re.search(r"… and (\d+) more changes? \(", shown)
    assert listed >= 1
    assert listed + (int(more.group(1)) if more else 0) == len(digest.alerts)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_a_digest_of_five_lists_every_alert(kind: SinkKind) -> None:
    digest = scenarios()["digest"]
    shown = visible_text(render_for(kind, digest))
    for item in digest.alerts:
        assert item.history_url
        assert item.history_url in shown
    assert "more change" not in shown


texts = st.text(
    st.characters(codec="utf-8"),
    max_size=6_000,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(KINDS),
    text=texts,
    headline=st.none() | st.text(max_size=400),
    name=st.text(max_size=300),
    count=st.integers(min_value=1, max_value=30),
)
def test_any_text_gives_a_payload_within_limits_with_its_links(
    kind: SinkKind, text: str, headline: str | None, name: str, count: int
) -> None:
    changes = [entry(text, headline=headline, entry_id=f"p{i}") for i in range(count)]
    sent = message(*(alert(c, name=name) for c in changes))
    payload = render_for(kind, sent)
    assert violations(kind, payload) == []
    shown = visible_text(payload)
    assert SOURCE in shown
    assert f"{UI}/tickers/7/entries/p0" in shown
