"""The configuration table and `.env.example` are generated from `Settings` and stay in sync."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from cli import main
from cli.ops import default_text, env_example, markdown_table
from trials.settings import SECRET_FIELDS, Settings

from .conftest import REPO

ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")
REGENERATE = (
    "regenerate the TRIALS_* part, keeping the compose section: "
    "{ trials config --format env; echo; sed -n '/^# --- docker compose only/,$p' .env.example; }"
    " > .env.new && mv .env.new .env.example"
)
COMPOSE_VAR = re.compile(r"\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}")


def env_example_values() -> dict[str, str]:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return {m[1]: m[2] for line in text.splitlines() if (m := ENV_LINE.match(line))}


def compose_defaults() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, default in COMPOSE_VAR.findall((REPO / "docker-compose.yml").read_text()):
        found.setdefault(name, set()).add(default)
    return found


def test_the_table_has_one_row_per_setting_with_its_default() -> None:
    rows = markdown_table().splitlines()[2:]
    assert len(rows) == len(fields(Settings))
    for f, row in zip(fields(Settings), rows, strict=True):
        assert row.startswith(f"| `{f.metadata['env']}` |")
        assert (f"`{default_text(f)}`" if default_text(f) else "*(empty)*") in row
        assert ("**secret**" in row) == (f.name in SECRET_FIELDS)


def test_trials_config_prints_the_table_and_the_env_file(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config"]) == 0
    assert capsys.readouterr().out == markdown_table()
    assert main(["config", "--format", "env"]) == 0
    assert capsys.readouterr().out == env_example()


def test_defaults_in_the_docs_parse_back_to_the_defaults() -> None:
    env = {f.metadata["env"]: default_text(f) for f in fields(Settings)}
    assert Settings.from_env(env) == Settings()


def test_env_example_is_the_generated_text_plus_the_compose_section() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    assert text.startswith(env_example()), REGENERATE


def test_env_example_lists_every_setting_with_its_default_and_no_secret() -> None:
    listed = env_example_values()
    for f in fields(Settings):
        assert listed.get(f.metadata["env"]) == default_text(f), f.metadata["env"]
        if f.name in SECRET_FIELDS:
            assert listed[f.metadata["env"]] == ""


def test_env_example_lists_every_compose_variable_and_nothing_unknown() -> None:
    listed, compose = env_example_values(), compose_defaults()
    settings_vars = {f.metadata["env"] for f in fields(Settings)}
    assert set(compose) <= set(listed)
    assert set(listed) <= settings_vars | set(compose)
    for name, defaults in compose.items():
        if name not in settings_vars:  # compose-only: the documented default is the one used
            assert defaults == {listed[name]}, name
