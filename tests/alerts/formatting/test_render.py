"""What messages say and how each platform is addressed: kinds, diffs, escaping, URLs."""

from __future__ import annotations

import json
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.alert import SinkKind
from alerts.formatting import KIND_WORDS, render
from alerts.formatting.apprise import split
from alerts.formatting.googlechat import threaded_url
from alerts.formatting.matrix import transaction_id
from alerts.formatting.ntfy import split_topic_url
from alerts.formatting.words import KIND_COLORS
from diffing.model import ChangeKind
from diffing.wire import change_as_json
from tests.alerts.formatting.cases import MATRIX_TOKEN, SECRETS, URLS, document, render_for
from tests.alerts.formatting.factory import (
    NOW,
    PAGE_BEFORE,
    PANNE_HEADLINE,
    SOURCE,
    alert,
    edited,
    entry,
    markup,
    message,
    page_retitled,
    retimed,
    retitled,
    scenarios,
    stored_change,
    version,
)

ALL = list(SinkKind)


def test_every_alerted_kind_has_words_and_paged_out_has_none() -> None:
    assert set(KIND_WORDS) == {kind for kind in ChangeKind if kind.alerts}
    assert KIND_WORDS[ChangeKind.RETITLED] == "Headline changed"


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_a_paged_out_change_is_refused(kind: SinkKind) -> None:
    gone = stored_change(ChangeKind.PAGED_OUT, previous=version("Alt"))
    with pytest.raises(ValueError, match="never alerted"):
        render_for(kind, message(alert(gone)))


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.value)
def test_rendering_is_pure_and_only_signatures_depend_on_now(kind: SinkKind) -> None:
    sent = scenarios()["digest"]
    first = render_for(kind, sent)
    assert render_for(kind, sent) == first
    later = render(
        kind, sent, url=URLS[kind], secret=SECRETS.get(kind), now=NOW + timedelta(hours=1)
    )
    if kind is SinkKind.WEBHOOK:
        assert later.headers != first.headers
    else:
        assert later == first


EDIT_MARKS = {
    SinkKind.SLACK: "~Chasan,~ *Chassan,*",
    SinkKind.MATTERMOST: "~~Chasan,~~ **Chassan,**",
    SinkKind.DISCORD: "~~Chasan,~~ **Chassan,**",
    SinkKind.GOOGLECHAT: "<s>Chasan,</s> <b>Chassan,</b>",
    SinkKind.MATRIX: "<del>Chasan,</del> <b>Chassan,</b>",
    SinkKind.NTFY: "~~Chasan,~~ **Chassan,**",
    SinkKind.APPRISE: "~~Chasan,~~ **Chassan,**",
}


@pytest.mark.parametrize("kind", list(EDIT_MARKS), ids=lambda k: k.value)
def test_an_edit_shows_struck_deletions_and_bold_insertions_in_context(kind: SinkKind) -> None:
    text = render_for(kind, message(alert(edited()))).body.decode("utf-8")
    assert EDIT_MARKS[kind] in text
    # Only the changed spans with a few words around them, not the entry twice.
    assert "Brot und Salz" not in text
    assert "am Mittwoch die russische Grenzstadt" in text


def test_teams_marks_an_edit_with_text_run_styles() -> None:
    runs = [
        inline
        for block in _card(render_for(SinkKind.TEAMS, message(alert(edited()))))["body"]
        for inline in block.get("inlines", [])
    ]
    assert {
        "type": "TextRun",
        "text": "Chasan,",
        "strikethrough": True,
        "color": "Attention",
    } in runs
    assert {"type": "TextRun", "text": "Chassan,", "weight": "Bolder", "color": "Good"} in runs


@pytest.mark.parametrize("kind", list(EDIT_MARKS), ids=lambda k: k.value)
def test_a_retitle_shows_old_and_new_headline(kind: SinkKind) -> None:
    text = render_for(kind, message(alert(page_retitled()))).body.decode("utf-8")
    assert PAGE_BEFORE in text
    assert PANNE_HEADLINE in text
    assert text.index(PAGE_BEFORE) < text.rindex(PANNE_HEADLINE)
    assert PANNE_HEADLINE in render_for(kind, message(alert(retitled()))).body.decode("utf-8")


@pytest.mark.parametrize("kind", list(EDIT_MARKS), ids=lambda k: k.value)
def test_a_time_correction_shows_old_and_new_time(kind: SinkKind) -> None:
    text = render_for(kind, message(alert(retimed()))).body.decode("utf-8")
    assert "2019-04-24 14:01 +02:00" in text
    assert "2019-04-24 13:58 +02:00" in text


def test_slack_escapes_control_characters_so_nothing_pings() -> None:
    blocks = document(render_for(SinkKind.SLACK, message(alert(markup()))))["blocks"]
    section = next(b for b in blocks if b["type"] == "section")["text"]["text"]
    assert "<!channel>" not in section
    assert "&lt;!channel&gt;" in section
    assert "&lt;b&gt;fett&lt;/b&gt;" in section
    assert "*&amp; Bonn 🎉*" in section


def test_markdown_platforms_escape_markup_and_mattermost_mentions() -> None:
    mattermost = document(render_for(SinkKind.MATTERMOST, message(alert(markup()))))
    text = mattermost["attachments"][0]["text"]
    assert r"\_kursiv\_" in text
    assert r"\`code\`" in text
    assert r"\[Link\]" in text
    assert "@\u2060everyone" in text
    assert "@everyone" not in text
    discord = document(render_for(SinkKind.DISCORD, message(alert(markup()))))
    assert r"\<b\>fett\</b\>" in discord["embeds"][0]["description"]
    assert discord["allowed_mentions"] == {"parse": []}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


MATRIX_TAGS = {"p", "b", "i", "del", "a", "br", "ul", "li"}


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=500))
def test_html_platforms_keep_any_text_as_text(text: str) -> None:
    sent = message(alert(entry(text, headline=text[:50])))
    matrix = document(render_for(SinkKind.MATRIX, sent))
    parsed = _parsed(matrix["formatted_body"])
    assert parsed.tags <= MATRIX_TAGS
    shown = " ".join(text.split())
    if shown:
        assert " ".join("".join(parsed.text).split()).count(shown[:40]) >= 1
    chat = document(render_for(SinkKind.GOOGLECHAT, sent))
    for section in chat["cardsV2"][0]["card"]["sections"]:
        for widget in section["widgets"]:
            if "textParagraph" in widget:
                assert _parsed(widget["textParagraph"]["text"]).tags <= {"b", "s", "a", "br"}


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=500))
def test_slack_body_text_never_holds_a_control_character(text: str) -> None:
    blocks = document(render_for(SinkKind.SLACK, message(alert(entry(text)))))["blocks"]
    for block in blocks:
        if block["type"] == "section":
            assert "<" not in block["text"]["text"]
            assert ">" not in block["text"]["text"]


def test_matrix_sends_to_the_room_with_an_idempotent_transaction() -> None:
    payload = render_for(SinkKind.MATRIX, message(alert(edited())))
    assert payload.method == "PUT"
    assert payload.url == (
        f"{URLS[SinkKind.MATRIX]}/send/m.room.message/{transaction_id('delivery-7-41')}"
    )
    assert ("Authorization", f"Bearer {MATRIX_TOKEN}") in payload.headers
    again = render_for(SinkKind.MATRIX, message(alert(edited())))
    other = render_for(SinkKind.MATRIX, message(alert(edited()), delivery_id="delivery-7-42"))
    assert again.url == payload.url
    assert other.url != payload.url
    assert document(payload)["m.mentions"] == {}


def test_matrix_needs_a_token_and_a_room_url() -> None:
    sent = message(alert(edited()))
    with pytest.raises(ValueError, match="access token"):
        render(SinkKind.MATRIX, sent, url=URLS[SinkKind.MATRIX], secret=None, now=NOW)
    with pytest.raises(ValueError, match="room URL"):
        render(SinkKind.MATRIX, sent, url="https://matrix.example.test/", secret="t", now=NOW)


def test_google_chat_threads_one_ticker_with_the_reply_option() -> None:
    first = render_for(SinkKind.GOOGLECHAT, message(alert(edited())))
    second = render_for(SinkKind.GOOGLECHAT, scenarios()["digest"])
    assert (
        document(first)["thread"]
        == document(second)["thread"]
        == {"threadKey": "tickerwatch-ticker-7"}
    )
    assert first.url == (
        "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t"
        "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
    )
    assert threaded_url("https://chat.test/m").endswith(
        "/m?messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
    )
    assert threaded_url(first.url or "") == first.url


def test_ntfy_publishes_json_to_the_server_root() -> None:
    payload = render_for(SinkKind.NTFY, message(alert(retitled())))
    body = document(payload)
    assert payload.url == "https://ntfy.example.test/"
    assert body["topic"] == "tickerwatch-alerts"
    assert body["title"] == f"Headline changed: {PANNE_HEADLINE}"
    assert body["markdown"] is True
    assert body["tags"] == ["label"]
    assert [a["label"] for a in body["actions"]] == ["Entry history", "Source"]
    assert split_topic_url("https://push.test/base/topic/?auth=x") == (
        "https://push.test/base/?auth=x",
        "topic",
    )
    with pytest.raises(ValueError, match="topic"):
        split_topic_url("https://ntfy.example.test/")


def test_webhook_change_is_the_replay_event_with_ticker_and_links() -> None:
    change = edited()
    body = document(render_for(SinkKind.WEBHOOK, message(alert(change))))
    assert body["type"] == "tickerwatch.change"
    assert body["timestamp"] == "2019-04-24T12:26:40Z"
    expected = change_as_json(change.as_change(), snapshot=str(change.snapshot_id))
    assert body["data"] == json.loads(
        json.dumps(
            {
                **expected,
                "ticker": {"id": 7, "name": "Kim trifft Putin – Live-Ticker", "url": SOURCE},
                "links": {
                    "history": "https://tickerwatch.example.test/tickers/7/entries/025b6bb9b9f464cb",
                    "source": SOURCE,
                },
            }
        )
    )


def test_webhook_digest_lists_every_change_in_order() -> None:
    sent = scenarios()["digest"]
    body = document(render_for(SinkKind.WEBHOOK, sent))
    assert body["type"] == "tickerwatch.digest"
    assert body["data"]["ticker"] == {
        "id": 7,
        "name": "Kim trifft Putin – Live-Ticker",
        "url": SOURCE,
    }
    assert [c["kind"] for c in body["data"]["changes"]] == [
        a.change.kind.value for a in sent.alerts
    ]
    assert body["data"]["changes"][3]["previous"]["title"] == PAGE_BEFORE


def test_apprise_payload_is_a_title_line_and_markdown() -> None:
    payload = render_for(SinkKind.APPRISE, message(alert(edited())))
    assert payload.content_type == "text/markdown"
    title, body = split(payload)
    assert title.startswith("Edited: ")
    assert "\n" not in title
    assert "~~Chasan,~~ **Chassan,**" in body


def test_discord_colours_embeds_by_kind() -> None:
    body = document(render_for(SinkKind.DISCORD, scenarios()["digest"]))
    colours = [embed["color"] for embed in body["embeds"]]
    assert colours == [KIND_COLORS[a.change.kind] for a in scenarios()["digest"].alerts]
    assert len(set(KIND_COLORS.values())) >= 6


def test_a_missing_history_link_leaves_the_source() -> None:
    for kind in ALL:
        text = render_for(kind, message(alert(edited(), history=False))).body.decode("utf-8")
        assert "tickerwatch.example.test" not in text
        assert SOURCE in text


def _card(payload: Any) -> Any:
    return document(payload)["attachments"][0]["content"]
