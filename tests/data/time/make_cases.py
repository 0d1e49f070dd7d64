"""Writes the generated time cases of this folder (run by hand; the output is committed).

    python tests/data/time/make_cases.py

``october-night``: a German ticker (newest first, "2.20 Uhr" labels, no zone printed)
running through the night of the October change, when 02:00-03:00 happens twice.
``midnight``: an English ticker (oldest first, "23:50" labels, no zone printed) running
past midnight, with one entry retimed by its editors. Each case folder holds what the
scorer expects (``meta.json``, ``truth.jsonl``, ``state.jsonl``) and ``instants.json``:
every entry's true instant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
SENTENCES = [
    "The night shift at the harbour reported that the ferries are running on time again",
    "Police closed the bridge for an hour while engineers checked the damaged railing",
    "The council said the emergency shelter in the sports hall will stay open all night",
    "Firefighters brought the blaze in the old warehouse under control shortly after",
    "A spokesman for the operator said power had been restored to most households",
    "The first trains of the morning will run to a reduced timetable, the railway said",
    "Volunteers handed out blankets and hot drinks to people waiting at the station",
    "The weather service lifted its warning for the coast but kept it for the hills",
    "Two people were taken to hospital with minor injuries, the ambulance service said",
    "The mayor thanked the rescue teams and promised a full review of the response",
    "Residents of the lower town were told they could return to their homes at dawn",
    "The airport expects to reopen its second runway once the debris has been cleared",
    "Engineers found no structural damage to the dam after a night of inspections",
    "The coastguard called off its search after the missing sailor was found safe",
    "Schools in the district will open two hours late so that buses can run safely",
    "The motorway reopened in both directions after the lorry was recovered",
    "Shops in the old quarter began clearing water from their cellars overnight",
    "The regional government will meet in the morning to discuss emergency funds",
    "A second pumping station was switched on to lower the level of the canal",
    "Officials said the clean-up would take at least a week in the worst-hit streets",
]


@dataclass(frozen=True)
class Item:
    key: str
    at: datetime  # UTC
    text: str
    label_at: datetime | None = None  # the time printed, when editors retimed the entry


def write_case(
    name: str,
    *,
    url: str,
    zone: ZoneInfo,
    lang: str,
    items: list[Item],
    polls: list[datetime],
    edits: dict[str, tuple[datetime, str]],
    retimes: dict[str, tuple[datetime, datetime]],
    newest_first: bool,
    render: type[Render],
) -> None:
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    snapshots, truth, states = [], [], []
    shown_before: set[str] = set()
    for number, poll in enumerate(polls, start=1):
        file = f"{number:04d}.html"
        visible = [i for i in items if i.at <= poll]
        rows = []
        for item in visible:
            text = item.text
            if item.key in edits and edits[item.key][0] <= poll:
                text = edits[item.key][1]
            printed = item.at
            if item.key in retimes and retimes[item.key][0] <= poll:
                printed = retimes[item.key][1]
            rows.append((item, text, printed.astimezone(zone)))
        ordered = list(reversed(rows)) if newest_first else rows
        (folder / file).write_text(render.page(lang, ordered), encoding="utf-8")
        snapshots.append(
            {
                "file": file,
                "fetched_at": poll.astimezone(zone).isoformat(),
                "content_type": "text/html",
            }
        )
        for item, _, _ in rows:
            if item.key not in shown_before:
                truth.append({"snapshot": file, "unit": "added", "entry": item.key})
        for key, (when, _) in edits.items():
            if polls[number - 2] < when <= poll if number > 1 else False:
                truth.append({"snapshot": file, "unit": "text", "entry": key})
        for key, (when, _) in retimes.items():
            if polls[number - 2] < when <= poll if number > 1 else False:
                truth.append({"snapshot": file, "unit": "time", "entry": key})
        shown_before |= {item.key for item, _, _ in rows}
        states.append(
            {
                "snapshot": file,
                "kind": "fresh",
                "tz": str(zone),
                "entries": [
                    {"entry": i.key, "title": None, "text": t, "time": p.strftime("%H:%M")}
                    for i, t, p in ordered
                ],
            }
        )
    (folder / "meta.json").write_text(json.dumps({"url": url, "snapshots": snapshots}, indent=1))
    (folder / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth))
    (folder / "state.jsonl").write_text(
        "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in states)
    )
    instants = {i.key: i.at.isoformat() for i in items}
    (folder / "instants.json").write_text(json.dumps(instants, indent=1))


class Render:
    @staticmethod
    def page(lang: str, rows: list[tuple[Item, str, datetime]]) -> str:
        raise NotImplementedError


class Paragraphs(Render):
    """Time-prefixed paragraphs, German style: "<strong>2.20 Uhr:</strong> …"."""

    @staticmethod
    def page(lang: str, rows: list[tuple[Item, str, datetime]]) -> str:
        body = "\n".join(
            f"<p><strong>{p.hour}.{p.minute:02d} Uhr:</strong> {t}.</p>" for _, t, p in rows
        )
        return (
            f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            "<title>Sturm in der Nacht: der Ticker</title></head><body>"
            "<h1>Sturm in der Nacht: der Ticker</h1><div class='ticker'>"
            f"{body}</div></body></html>"
        )


class Blocks(Render):
    """Blocks with ids and a <time> element printing only the clock."""

    @staticmethod
    def page(lang: str, rows: list[tuple[Item, str, datetime]]) -> str:
        body = "\n".join(
            f"<article class='post' id='post-{i.key}'><time>{p:%H:%M}</time><p>{t}.</p></article>"
            for i, t, p in rows
        )
        return (
            f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            "<title>Storm overnight: live</title></head><body>"
            f"<h1>Storm overnight: live</h1><main>{body}</main></body></html>"
        )


def october_night() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 10, 24, 22, 50, tzinfo=UTC)  # 00:50 CEST
    items = [
        Item(f"o{n}", start + timedelta(minutes=11 * n), SENTENCES[n]) for n in range(18)
    ]  # the last at 02:07 UTC = 03:07 CET; 02:xx local happens from 00:00 to 02:00 UTC
    polls = [start + timedelta(minutes=25 + 10 * n) for n in range(19)]
    edits = {"o5": (start + timedelta(minutes=101), SENTENCES[5] + ", a spokesman added")}
    write_case(
        "october-night",
        url="https://www.sturm-zeitung.de/live/sturm-nacht-ticker",
        zone=berlin,
        lang="de",
        items=items,
        polls=polls,
        edits=edits,
        retimes={},
        newest_first=True,
        render=Paragraphs,
    )


def midnight() -> None:
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 7, 1, 21, 40, tzinfo=UTC)  # 22:40 BST
    items = [Item(f"m{n}", start + timedelta(minutes=9 * n), SENTENCES[n]) for n in range(16)]
    polls = [start + timedelta(minutes=20 + 10 * n) for n in range(14)]
    retimes = {"m8": (start + timedelta(minutes=95), items[8].at - timedelta(minutes=2))}
    write_case(
        "midnight",
        url="https://www.stormnews.co.uk/live/storm-overnight",
        zone=london,
        lang="en-GB",
        items=items,
        polls=polls,
        edits={},
        retimes=retimes,
        newest_first=False,
        render=Blocks,
    )


if __name__ == "__main__":
    october_night()
    midnight()
