"""Find a JDK of version >= 21 with `javac` (Lucene 10 needs Java 21; the plugin build, javac),
and when there is none, say how to get one on this system.

Where it looks, in order: ES_JAVA_HOME, JAVA_HOME, the `java` on PATH, then the JDK folders of
Debian/Ubuntu (/usr/lib/jvm), macOS and Homebrew, newest first. The choice itself
(`choose_java`) and the message (`no_jdk_message`) are pure functions of what was found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from localnode.errors import LocalNodeError
from localnode.versions import MIN_JAVA

JVM_ROOT = Path("/usr/lib/jvm")
# macOS installers and Homebrew's keg-only openjdk formulae (Apple silicon, then Intel).
OTHER_JDK_GLOBS = (
    "/Library/Java/JavaVirtualMachines/*/Contents/Home",
    "/opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home",
    "/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home",
    "/home/linuxbrew/.linuxbrew/opt/openjdk*/libexec",
)


# The way the system's own packages offer, first in the message (`make java-maven` uses it).
SYSTEM_WAYS = {
    "apt": [f"  - apt-get install openjdk-{MIN_JAVA}-jdk-headless (or a newer version)"],
    "apt-too-old": [
        f"  - not from this system's apt packages: none is >= {MIN_JAVA} (Debian 12 ships 17)"
    ],
    "brew": [f"  - brew install openjdk@{MIN_JAVA}"],
}


class NoSuitableJdk(LocalNodeError):
    """No JDK >= MIN_JAVA with javac; the message lists what was tried and how to get one."""


@dataclass(frozen=True)
class Candidate:
    """A folder that may be a JDK, as probed: its Java major version (None: no runnable java)
    and whether it has `javac` (a runtime alone cannot build the plugin)."""

    home: Path
    major: int | None
    has_javac: bool

    @property
    def suitable(self) -> bool:
        return self.major is not None and self.major >= MIN_JAVA and self.has_javac

    def describe(self) -> str:
        if self.major is None:
            return f"{self.home} (no runnable java)"
        return f"{self.home} (java {self.major}{'' if self.has_javac else ', no javac'})"


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


def probe(home: Path) -> Candidate:
    return Candidate(home, java_major(home), (home / "bin" / "javac").is_file())


def candidate_homes(
    env: Mapping[str, str], jvm_root: Path = JVM_ROOT, other_globs: Iterable[str] = OTHER_JDK_GLOBS
) -> Iterator[Path]:
    """Folders that may hold a JDK, in the order they are preferred, each once."""
    seen: set[Path] = set()
    for home in _all_homes(env, jvm_root, other_globs):
        if home not in seen:
            seen.add(home)
            yield home


def _all_homes(
    env: Mapping[str, str], jvm_root: Path, other_globs: Iterable[str]
) -> Iterator[Path]:
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if env.get(var):
            yield Path(env[var])
    on_path = shutil.which("java", path=env["PATH"]) if env.get("PATH") else None
    if on_path:
        yield Path(on_path).resolve().parents[1]  # …/bin/java → the JDK folder
    found = [(_version_hint(p.name), p) for p in _children(jvm_root)]
    found += [(_version_hint(str(p)), p) for g in other_globs for p in _glob(g)]
    # Newest first, so a machine with 21 and 25 runs on 25.
    yield from (home for _, home in sorted(found, key=lambda f: f[0], reverse=True))


def _children(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []


def _glob(pattern: str) -> list[Path]:
    return [p for p in Path("/").glob(pattern.lstrip("/")) if p.is_dir()]


def _version_hint(name: str) -> int:
    """The Java version a folder's name suggests: its first number of two or more digits that
    does not follow a letter (`java-17-openjdk-amd64` → 17, `temurin-21.jdk` → 21, `openjdk@25`
    → 25; the `64` of `amd64` is not a version), else 0."""
    found = re.search(r"(?<![A-Za-z\d])\d{2,}", name)
    return int(found.group()) if found else 0


def choose_java(candidates: Iterable[Candidate], system: str | None = None) -> Path:
    """The first suitable candidate (they come in order of preference; read lazily, so the
    rest are never probed); NoSuitableJdk naming what was tried and how to get one."""
    tried: list[Candidate] = []
    for candidate in candidates:
        if candidate.suitable:
            return candidate.home
        tried.append(candidate)
    raise NoSuitableJdk(no_jdk_message(tried, system))


def no_jdk_message(tried: Iterable[Candidate], system: str | None) -> str:
    """What was found, and the ways to get a JDK >= MIN_JAVA on `system` ("apt", "brew" or None;
    "apt-too-old" when the OS packages offer none new enough, as on Debian 12)."""
    seen = ", ".join(c.describe() for c in tried) or "nothing"
    lines = [f"no JDK >= {MIN_JAVA} with javac found; tried: {seen}.", "Get one:"]
    lines += SYSTEM_WAYS.get(system or "", [])
    lines += [
        f"  - Eclipse Temurin {MIN_JAVA}+ from Adoptium's apt/yum repository "
        f"(adoptium.net/installation/linux), package temurin-{MIN_JAVA}-jdk",
        f"  - SDKMAN: sdk install java {MIN_JAVA}-tem",
        "  - a JDK tarball unpacked anywhere (e.g. under /usr/lib/jvm),",
        "then point ES_JAVA_HOME (or JAVA_HOME) at it if it is not found by itself.",
    ]
    return "\n".join(lines)


def find_java_home(
    env: Mapping[str, str] | None = None,
    jvm_root: Path = JVM_ROOT,
    system: str | None = None,
    other_globs: Iterable[str] = OTHER_JDK_GLOBS,
) -> Path:
    """The JDK the node and the plugin build use; NoSuitableJdk says how to get one."""
    env = os.environ if env is None else env
    homes = candidate_homes(env, jvm_root, other_globs)
    return choose_java((probe(home) for home in homes), system)
