"""Without an Elasticsearch node the node tests fail, unless skipping them was asked for.

Each case runs pytest in a child process on a one-test file that needs `es_url`, with this
suite's conftest loaded as a plugin, and no node to be had."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

NEEDS_NODE = """
def test_needs_a_node(es_url: str) -> None:
    assert es_url
"""


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something listens on that is not Elasticsearch (and never answers HTTP)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, via: str, taken_port: int, skip: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_") and k != "CI"}
    if via == "TRIALS_ES_URL":  # given a URL, provide_node yields it without probing
        env["TRIALS_ES_URL"] = f"http://127.0.0.1:{_closed_port()}"
    else:  # no URL, no Docker engine, and the local node's port held by someone else
        env["DOCKER_HOST"] = f"tcp://127.0.0.1:{_closed_port()}"
        env["TRIALS_ES_PORT"] = str(taken_port)
        env["TRIALS_ES_HOME"] = str(tmp_path / "es-home")
    if skip:
        env["TRIALS_TESTS_SKIP_NODE"] = "1"
    return env


def _run(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_needs_node.py"
    test.write_text(NEEDS_NODE, encoding="utf-8")
    argv = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider"]
    argv += ["-c", str(REPO / "pyproject.toml"), "--rootdir", str(tmp_path), str(test)]
    return subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("via", ["TRIALS_ES_URL", "provide_node"])
def test_no_node_fails_the_run_with_the_reason(tmp_path: Path, taken_port: int, via: str) -> None:
    done = _run(tmp_path, _env(tmp_path, via, taken_port, skip=False))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 error" in done.stdout
    assert "no Elasticsearch node for the tests that need one" in done.stdout
    assert "TRIALS_TESTS_SKIP_NODE=1" in done.stdout
    assert "skipped on request" not in done.stdout


@pytest.mark.parametrize("via", ["TRIALS_ES_URL", "provide_node"])
def test_skipping_is_explicit_and_the_summary_says_so(
    tmp_path: Path, taken_port: int, via: str
) -> None:
    done = _run(tmp_path, _env(tmp_path, via, taken_port, skip=True))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    assert "1 Elasticsearch node tests skipped on request (TRIALS_TESTS_SKIP_NODE=1)" in done.stdout
    assert "unknown setting" not in done.stdout  # the switch is not taken for a setting
