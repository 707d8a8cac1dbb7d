"""What every command module shares: the error that becomes a message and an exit code, and
the two output shapes, an aligned table for people and one JSON document for scripts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Collection, Sequence
from typing import Any


class CommandError(Exception):
    """A failure the CLI reports as one message and a non-zero exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    return commands.add_parser(name, help=help_text, description=help_text)  # type: ignore[no-any-return]


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout instead of the table (messages stay on stderr)",
    )


def print_json(document: Any) -> None:
    """One JSON document on stdout: what scripts parse (`jq`), so nothing else goes there."""
    print(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def aligned(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> str:
    """`rows` (a header first, if any) as columns two spaces apart, left-aligned except the
    columns numbered in `right` (numbers); no trailing spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )
