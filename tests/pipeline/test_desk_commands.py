"""``tickerwatch desk add|list|show|edit|remove``: against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tickerwatch.cli import main
from tickerwatch.commands.values import minutes


@pytest.fixture(autouse=True)
def database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    for name in ("own", "rival", "other"):
        tags = ["--tag", "inland"] if name != "own" else []
        assert (
            main(["add", f"https://www.example.test/{name}", "--name", name, "--no-check", *tags])
            == 0
        )
    capsys.readouterr()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shown(capsys: pytest.CaptureFixture[str], desk: str) -> dict[str, Any]:
    code, out, err = run(capsys, "desk", "show", desk, "--json")
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_add_show_edit_remove(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "desk",
        "add",
        "Politik",
        "--own",
        "1",
        "--ticker",
        "2",
        "--window",
        "4h",
        "--lead",
        "5m",
    )
    assert code == 0
    assert "added desk 1: Politik" in out
    assert "own: 1 own" in out
    desk = shown(capsys, "Politik")
    assert desk["members"] == [{"ticker_id": 1, "own": True}, {"ticker_id": 2, "own": False}]
    assert (desk["window_minutes"], desk["lead_minutes"]) == (240, 5)
    assert shown(capsys, "1") == desk

    code, _, err = run(
        capsys, "desk", "edit", "1", "--ticker", "1", "--own", "2", "--tag", "inland"
    )
    assert code == 0, err
    desk = shown(capsys, "1")
    assert desk["members"] == [{"ticker_id": 1, "own": False}, {"ticker_id": 2, "own": True}]
    assert [(t["id"], t["own"], t["via"]) for t in desk["tickers"]] == [
        (1, False, ["member"]),
        (2, True, ["member", "tag:inland"]),
        (3, False, ["tag:inland"]),
    ]

    code, _, err = run(
        capsys, "desk", "edit", "Politik", "--drop", "1", "--drop-tag", "inland", "--name", "Inland"
    )
    assert code == 0, err
    desk = shown(capsys, "Inland")
    assert (desk["members"], desk["tags"]) == ([{"ticker_id": 2, "own": True}], [])

    code, _, err = run(capsys, "desk", "remove", "Inland")
    assert code == 1
    assert "--yes" in err
    assert run(capsys, "desk", "remove", "Inland", "--yes")[0] == 0
    code, out, _ = run(capsys, "desk", "list", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_defaults_and_a_desk_without_own_tickers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "desk", "add", "Wettbewerb", "--tag", "inland")
    assert code == 0
    assert "no own ticker" in out
    desk = shown(capsys, "Wettbewerb")
    assert (desk["window_minutes"], desk["lead_minutes"]) == (360, 10)
    assert [t["id"] for t in desk["tickers"]] == [2, 3]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["desk", "add", "D", "--own", "9"], "no ticker 9"),
        (["desk", "add", "D"], "at least one ticker or tag"),
        (["desk", "add", " ", "--own", "1"], "blank"),
        (["desk", "add", "D", "--own", "1", "--ticker", "1"], "both --own and --ticker"),
        (["desk", "add", "D", "--tag", "x", "--own-tag", "x"], "both --own-tag and --tag"),
        (["desk", "add", "D", "--own", "1", "--window", "1h", "--lead", "2h"], "lead"),
        (["desk", "add", "Politik", "--own", "2"], "exists already"),
        (["desk", "show", "Sport"], "no desk named 'Sport'"),
        (["desk", "show", "7"], "no desk 7"),
        (["desk", "edit", "Politik", "--drop", "3"], "not a member"),
        (["desk", "edit", "Politik", "--drop-tag", "x"], "no tag 'x'"),
        (["desk", "edit", "Politik", "--drop", "1"], "at least one ticker or tag"),
        (["desk", "remove", "nobody", "--yes"], "no desk named"),
    ],
)
def test_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(capsys, "desk", "add", "Politik", "--own", "1")[0] == 0
    code, _out, err = run(capsys, *argv)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert [d["name"] for d in json.loads(run(capsys, "desk", "list", "--json")[1])] == ["Politik"]


@pytest.mark.parametrize("value", ["10x", "-5m", "1.5m", "nan", "8d"])
def test_bad_durations_are_usage_errors(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["desk", "add", "D", "--own", "1", "--window", value])
    assert exit_.value.code == 2
    assert "--window" in capsys.readouterr().err


def test_removing_a_ticker_takes_it_off_the_desk(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "desk", "add", "Politik", "--own", "1", "--ticker", "2")[0] == 0
    assert run(capsys, "remove", "2", "--yes")[0] == 0
    assert shown(capsys, "Politik")["members"] == [{"ticker_id": 1, "own": True}]
    code, out, _ = run(capsys, "desk", "list")
    assert code == 0
    assert "competitors: -" in out


@pytest.mark.parametrize(
    ("value", "expected"), [("90", 90), ("90m", 90), ("6h", 360), ("1d", 1440), ("0", 0)]
)
def test_durations_are_read_as_minutes(value: str, expected: int) -> None:
    assert minutes(value) == expected
