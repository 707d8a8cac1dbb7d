"""Run node commands as the node's user: root may not run Elasticsearch."""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from localnode.errors import LocalNodeError


def ensure_user(name: str, home: Path) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        cmd = [
            "useradd",
            "--system",
            "--home-dir",
            str(home),
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise LocalNodeError(f"could not create user {name!r}: {done.stderr.strip()}") from None


def chown_tree(path: Path, user: str | None) -> None:
    """Give `path` and everything below it to `user`, touching only what it does not own yet.

    A running node (another port, same install) creates and deletes temporary files meanwhile,
    so a file that vanishes during the walk is skipped, not an error."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for item in _walk(path):
        try:
            if item.lstat().st_uid != entry.pw_uid and not item.is_symlink():
                os.chown(item, entry.pw_uid, entry.pw_gid)
        except FileNotFoundError:
            continue


def _walk(path: Path) -> Iterator[Path]:
    """`path` and everything below it; os.walk skips a folder that vanishes while it is read
    (Path.rglob raised FileNotFoundError for it)."""
    yield path
    for root, folders, files in os.walk(path):
        for name in (*folders, *files):
            yield Path(root, name)


def command(argv: Sequence[str], user: str | None, env: Mapping[str, str]) -> list[str]:
    """`argv` with `env`, wrapped in runuser when another user must run it."""
    assignments = [f"{k}={v}" for k, v in env.items()]
    if user is None:
        return ["env", *assignments, *argv]
    return ["runuser", "-u", user, "--", "env", *assignments, *argv]
