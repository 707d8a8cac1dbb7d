"""Find a Java runtime of version >= 21 (Lucene 10 needs it)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from localnode.errors import LocalNodeError
from localnode.versions import MIN_JAVA

JVM_ROOT = Path("/usr/lib/jvm")


def java_major(java_home: Path) -> int | None:
    """The major version of `java_home/bin/java`, or None when it does not run."""
    java = java_home / "bin" / "java"
    if not java.is_file():
        return None
    try:
        out = subprocess.run(
            [str(java), "-XshowSettings:properties", "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"java\.specification\.version = (\d+)", out)
    return int(match.group(1)) if match else None


def _candidates(env: Mapping[str, str], jvm_root: Path) -> Iterable[Path]:
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if env.get(var):
            yield Path(env[var])
    if jvm_root.is_dir():
        # Newest first, so a machine with 21 and 25 runs on 25.
        yield from sorted(jvm_root.iterdir(), key=lambda p: _trailing_number(p.name), reverse=True)


def _trailing_number(name: str) -> int:
    numbers = re.findall(r"\d+", name)
    return max((int(n) for n in numbers), default=0)


def find_java_home(env: Mapping[str, str] | None = None, jvm_root: Path = JVM_ROOT) -> Path:
    env = os.environ if env is None else env
    seen: list[str] = []
    for home in _candidates(env, jvm_root):
        major = java_major(home)
        if major is not None and major >= MIN_JAVA and (home / "bin" / "javac").is_file():
            return home
        seen.append(f"{home} (java {major or 'not runnable'})")
    raise LocalNodeError(
        f"no JDK >= {MIN_JAVA} with javac found; tried: {', '.join(seen) or 'nothing'}. "
        f"Install one (e.g. `apt-get install temurin-25-jdk` or openjdk-21-jdk) "
        f"or point ES_JAVA_HOME at it."
    )
