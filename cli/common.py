"""What every command module shares: the error that becomes a message and an exit code."""

from __future__ import annotations

import argparse
from typing import Any


class CommandError(Exception):
    """A failure the CLI reports as one message and a non-zero exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_command(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    return commands.add_parser(name, help=help_text, description=help_text)  # type: ignore[no-any-return]
