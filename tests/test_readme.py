"""The README's configuration table names every setting, and the commands it promises exist."""

from pathlib import Path

from app.settings import Settings

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


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in readme and "\nmake test\n" in ci
    assert "make run" in readme
