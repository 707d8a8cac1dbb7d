"""The README's configuration table is the one `trials config` generates from Settings."""

from __future__ import annotations

import re
from pathlib import Path

from cli.ops import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
TABLE = re.compile(r"<!-- config-table:start -->\n(.*?)<!-- config-table:end -->", re.S)


def test_readme_configuration_table_matches_the_settings() -> None:
    found = TABLE.search(README.read_text(encoding="utf-8"))
    assert found is not None, "README.md lost its config-table markers"
    assert found.group(1) == markdown_table(), (
        "README configuration table is stale: replace the lines between the markers with the "
        "output of `trials config`"
    )


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in first_block.splitlines() if not line.startswith("#")]
    assert commands == [
        "make run",
        "make test",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == "make test"
