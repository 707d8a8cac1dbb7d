"""Fixtures for the operations tests: a clean environment for the CLI and no leftover handler."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No TRIALS_* variables from the developer's shell leak into a CLI run."""
    for name in [n for n in os.environ if n.startswith("TRIALS_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    """`trials` commands install a root handler; put the root logger back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
