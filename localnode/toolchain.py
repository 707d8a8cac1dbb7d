"""What the node needs from the system, Maven and a JDK >= 21, installed from the OS packages
when missing and the system offers them (apt on Debian/Ubuntu, Homebrew on macOS).

`python -m localnode.toolchain` is `make java-maven`: it says what it found and returns at once
when both are there; otherwise it installs (as root, or through `sudo -n`) and checks again. When
the OS packages have no JDK >= 21 (Debian 12 ships 17) it exits 1 with the other ways to get one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from localnode import jdk
from localnode.errors import LocalNodeError
from localnode.versions import MIN_JAVA

APT_JDK = re.compile(r"openjdk-(\d+)-jdk-headless")


class CannotInstall(LocalNodeError):
    """The system could not install a missing tool; the message says what to do instead."""


def package_system() -> str | None:
    """ "apt", "brew" or None: the package manager this system installs with."""
    if shutil.which("apt-get"):
        return "apt"
    if shutil.which("brew"):
        return "brew"
    return None


def newest_apt_jdk(package_names: Iterable[str]) -> str | None:
    """The newest `openjdk-N-jdk-headless` with N >= MIN_JAVA among `package_names`."""
    versions = {
        int(m.group(1)): name
        for name in package_names
        if (m := APT_JDK.fullmatch(name.strip())) and int(m.group(1)) >= MIN_JAVA
    }
    return versions[max(versions)] if versions else None


def _as_root(argv: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return list(argv)
    if shutil.which("sudo"):
        return ["sudo", "-n", *argv]  # -n: fail at once rather than wait for a password
    raise CannotInstall(f"`{' '.join(argv)}` needs root; run it as root, then `make` again")


def _run(argv: Sequence[str]) -> None:
    print(f"java-maven: {' '.join(argv)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(list(argv), env=env, check=False).returncode != 0:
        raise CannotInstall(f"`{' '.join(argv)}` failed (see above)")


def _apt_install(packages: Sequence[str]) -> None:
    _run(_as_root(["apt-get", "update", "-qq"]))
    _run(_as_root(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]))


def ensure_maven(system: str | None) -> str:
    """The path of `mvn`, installing Maven first when it is missing."""
    if system == "apt" and not shutil.which("mvn"):
        _apt_install(["maven"])
    elif system == "brew" and not shutil.which("mvn"):
        _run(["brew", "install", "maven"])
    mvn = shutil.which("mvn")
    if mvn is None:
        raise CannotInstall(
            "Maven (`mvn`) is missing: install Maven 3.6 or newer and put it on PATH"
        )
    return mvn


def _apt_jdk_package() -> str | None:
    _run(_as_root(["apt-get", "update", "-qq"]))
    listed = subprocess.run(
        ["apt-cache", "pkgnames", "openjdk-"], capture_output=True, text=True, check=False
    ).stdout
    return newest_apt_jdk(listed.splitlines())


def ensure_jdk(system: str | None) -> Path:
    """A JDK >= MIN_JAVA with javac, installing the OS package first when there is one."""
    try:
        return jdk.find_java_home()
    except jdk.NoSuitableJdk:
        if system not in ("apt", "brew"):
            raise
    if system == "brew":
        _run(["brew", "install", f"openjdk@{MIN_JAVA}"])
        return jdk.find_java_home(system="brew")
    package = _apt_jdk_package()
    if package is None:
        return jdk.find_java_home(system="apt-too-old")  # raises, naming the other ways
    _run(_as_root(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]))
    return jdk.find_java_home(system="apt")


def main() -> int:
    system = package_system()
    try:
        mvn = ensure_maven(system)
        java_home = ensure_jdk(system)
    except LocalNodeError as exc:
        print(f"java-maven: {exc}", file=sys.stderr)
        return 1
    print(f"java-maven: Maven {mvn}; JDK {jdk.java_major(java_home)} at {java_home}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
