"""``tickerwatch add|list|pause|resume|remove|db``: against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.model import default_name
from tickerwatch.cli import main
from tickerwatch.commands.tickers import interval


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    result: list[dict[str, object]] = json.loads(out)
    return result


def test_add_list_pause_resume_remove(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://www.example.test/politik/gipfel-live-ticker-zr-101.html"
    code, out, _ = run(
        capsys,
        "add",
        url,
        "--interval",
        "2m",
        "--tag",
        "politik",
        "--zone",
        "Europe/Berlin",
        "--no-check",
    )
    assert code == 0
    assert "added ticker 1" in out
    (ticker,) = listed(capsys)
    assert ticker["name"] == "example.test: gipfel-live-ticker-zr-101.html"
    assert (ticker["interval_seconds"], ticker["tags"], ticker["zone"]) == (
        120,
        ["politik"],
        "Europe/Berlin",
    )

    code, _, err = run(capsys, "add", url, "--no-check")
    assert code == 1
    assert "already" in err

    assert run(capsys, "pause", "1")[0] == 0
    assert listed(capsys)[0]["paused"] is True
    assert run(capsys, "resume", "1")[0] == 0
    assert listed(capsys)[0]["paused"] is False

    code, _, err = run(capsys, "remove", "1")
    assert code == 1
    assert "--yes" in err
    assert run(capsys, "remove", "1", "--yes")[0] == 0
    assert listed(capsys) == []
    code, _, err = run(capsys, "pause", "1")
    assert code == 1
    assert "1" in err


def test_robots_override_needs_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "add", "https://a.example.test/live", "--ignore-robots", " ", "--no-check"
    )
    assert code == 1
    assert "reason" in err
    code, _, _ = run(
        capsys,
        "add",
        "https://a.example.test/live",
        "--ignore-robots",
        "our own newsroom",
        "--no-check",
    )
    assert code == 0
    assert listed(capsys)[0]["robots_override"] == "our own newsroom"


def test_bad_arguments_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["add", "ftp://example.test/x"],
        ["add", "https://example.test/x", "--zone", "Mars/Olympus"],
        ["add", "https://example.test/x", "--interval", "soon"],
    ):
        with pytest.raises(SystemExit):
            main(argv)
    code, _, err = run(capsys, "add", "https://example.test/x", "--profile", "nope")
    assert code == 1
    assert "unknown profile" in err


def test_db_upgrade_and_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0
    assert "(head)" in out
    assert run(capsys, "db", "current")[0] == 0


def test_interval_and_default_name() -> None:
    assert [interval(v) for v in ("90", "90s", "5m", "1h", "1.5m")] == [90, 90, 300, 3600, 90]
    assert default_name("https://www.example.test/live/") == "example.test: live"
    assert default_name("https://example.test") == "example.test"
