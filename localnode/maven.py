"""Run Maven, the only way this project downloads Elasticsearch and builds its plugin."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from localnode.errors import LocalNodeError


def run_maven(args: Sequence[str], java_home: Path, failure: str, tail_lines: int = 25) -> None:
    """`mvn -B -q ARGS` on `java_home`; raises LocalNodeError(failure + Maven's last lines)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalNodeError("Maven (`mvn`) is not installed; install it (apt-get install maven)")
    done = subprocess.run(
        [mvn, "-B", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "JAVA_HOME": str(java_home)},
    )
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-tail_lines:])
        raise LocalNodeError(f"{failure}:\n{tail}")
