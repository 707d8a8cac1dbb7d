"""Run Maven, the only way this project downloads Elasticsearch and builds its plugin.

Maven runs in batch mode without `-q`, so its `Downloading from …` / `Downloaded from …` lines
reach the heartbeat (a first run downloads for minutes); a failure reports its `[ERROR]` lines.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from localnode.errors import LocalNodeError
from localnode.progress import Heartbeat, Output, Say, run_with_heartbeat


def run_maven(
    args: Sequence[str],
    java_home: Path,
    failure: str,
    say: Say = lambda _: None,
    label: str = "Maven",
    tail_lines: int = 25,
) -> None:
    """`mvn -B ARGS` on `java_home`, saying progress as `label … N s (latest line)`; raises
    LocalNodeError(failure + Maven's error lines, or its last lines)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalNodeError(
            "Maven (`mvn`) is not installed; `make java-maven` installs it "
            "(or apt-get install maven / brew install maven)"
        )
    done = run_with_heartbeat(
        [mvn, "-B", *args],
        Heartbeat(say, label),
        env={**os.environ, "JAVA_HOME": str(java_home)},
    )
    if done.returncode != 0:
        raise LocalNodeError(f"{failure}:\n{failure_lines(done.output, tail_lines)}")


def failure_lines(output: Output, tail_lines: int) -> str:
    """Maven's `[ERROR]` lines when it printed some (they say what failed), else its last lines."""
    lines = output.errors or list(output.tail)
    return "\n".join(lines[-tail_lines:])
