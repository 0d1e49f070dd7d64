"""One settings object, validated once; every setting documented."""

import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from tickerwatch.settings import Settings, load_settings
from tickerwatch.settings.reference import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def _names(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(_names(annotation, f"{prefix}{name}."))
        else:
            out.append(f"{prefix}{name}")
    return out


@pytest.mark.parametrize("name", _names(Settings))
def test_setting_is_documented(name: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    env = "TICKERWATCH_" + name.replace(".", "__").upper()
    assert f"`{name}`" in doc, f"{name} missing from docs/settings.md"
    assert env in doc, f"{env} missing from docs/settings.md"


def test_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(Settings), (
        "regenerate: python -m tickerwatch.settings > docs/settings.md"
    )


def test_every_setting_says_what_it_means() -> None:
    for section, info in Settings.model_fields.items():
        assert info.description, section
        model = info.annotation
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        for name, field in model.model_fields.items():
            assert field.description, f"{section}.{name}"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWATCH_INGEST__MAX_BODY_BYTES", "2048")
    assert load_settings().ingest.max_body_bytes == 2048


def test_toml_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "tw.toml"
    config.write_text('[ingest]\ndefault_zone = "Europe/Paris"\n', encoding="utf-8")
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(config))
    assert load_settings().ingest.default_zone == "Europe/Paris"


def test_dangerous_or_wrong_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWATCH_INGEST__DEFAULT_ZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown time zone"):
        load_settings()
    monkeypatch.delenv("TICKERWATCH_INGEST__DEFAULT_ZONE")
    monkeypatch.setenv("TICKERWATCH_INGEST__MAX_BODY_BYTES", "10")
    with pytest.raises(ValidationError):
        load_settings()


def test_default_database_is_sqlite_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = load_settings().storage.resolved_url()
    assert re.fullmatch(rf"sqlite:///{re.escape(str(tmp_path))}/tickerwatch/tickerwatch\.db", url)
