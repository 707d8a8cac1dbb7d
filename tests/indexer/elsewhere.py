"""Running a generator in a fresh interpreter with another string-hash seed: what a
benchmark's fake registry serves must not depend on the process that builds it."""

from __future__ import annotations

import os
import subprocess
import sys


def output_elsewhere(script: str, *args: str) -> str:
    """`script`'s standard output, run with `args` by another interpreter (PYTHONHASHSEED set)."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode()
