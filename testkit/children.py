"""`trials` as a child process, for tests and benchmarks: its executable and environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def trials_executable() -> str:
    """The `trials` script of the running virtualenv."""
    return str(Path(sys.executable).with_name("trials"))


def child_env(es_url: str, prefix: str, **settings: str) -> dict[str, str]:
    """This process's environment with no TRIALS_* variable of its own, pointed at `es_url`
    with index prefix `prefix`, plus `settings` (TRIALS_* names)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.update(TRIALS_ES_URL=es_url, TRIALS_INDEX_PREFIX=prefix, **settings)
    return env
