"""The README's configuration table names every setting, and the commands it promises exist."""

from pathlib import Path

import pytest

from app.settings import Settings, SettingsError, load_settings, markdown_table

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, field in Settings.model_fields.items():
        env = (
            field.validation_alias
            if isinstance(field.validation_alias, str)
            else f"YLYX_{name.upper()}"
        )
        assert f"`{env}`" in readme, env
        assert field.description and field.description in readme, env


def test_bad_settings_are_named_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YLYX_DB_POOL_SIZE", "lots")
    monkeypatch.setenv("YLYX_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert "YLYX_DB_POOL_SIZE" in message and "'lots'" in message
    assert "YLYX_TIMEZONE" in message


def test_the_table_is_the_generated_one() -> None:
    assert markdown_table() in (ROOT / "README.md").read_text("utf-8")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in readme and "\nmake test\n" in ci
    assert "make run" in readme
