"""Failure paths of `trials es`: each gives one clear message and a non-zero exit."""

from __future__ import annotations

import os
import pwd
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import main
from localnode import jdk, runas
from localnode.errors import LocalNodeError
from localnode.layout import Layout
from localnode.node import LocalNode


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_start_refuses_a_port_taken_by_another_process(tmp_path: Path, busy_port: int) -> None:
    node = LocalNode(Layout(root=tmp_path, port=busy_port, run_as=None))
    with pytest.raises(LocalNodeError, match=f"port {busy_port} is taken"):
        node.start()


def test_stale_pid_file_is_removed_and_said(tmp_path: Path, busy_port: int) -> None:
    layout = Layout(root=tmp_path, port=busy_port, run_as=None)
    layout.node_dir.mkdir(parents=True)
    layout.pid_file.write_text(str(os.getpid()))  # alive, but not an Elasticsearch process
    said: list[str] = []
    with pytest.raises(LocalNodeError):
        LocalNode(layout, say=said.append).start()
    assert not layout.pid_file.exists()
    assert any("stale pid file" in line for line in said)


def test_cli_reports_port_taken_with_exit_1(
    tmp_path: Path,
    busy_port: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("TRIALS_ES_URL", raising=False)
    monkeypatch.setenv("TRIALS_ES_HOME", str(tmp_path))
    monkeypatch.setenv("TRIALS_ES_PORT", str(busy_port))
    assert main(["es", "start"]) == 1
    assert "is taken" in capsys.readouterr().err


def test_cli_reports_bad_configuration_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRIALS_ES_PORT", "not-a-port")
    assert main(["es", "status"]) == 2
    assert "TRIALS_ES_PORT" in capsys.readouterr().err


def test_stop_without_a_node_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRIALS_ES_URL", raising=False)
    monkeypatch.setenv("TRIALS_ES_HOME", str(tmp_path))
    assert main(["es", "stop"]) == 0
    assert "not running" in capsys.readouterr().out


def test_no_jdk_gives_a_message_saying_how_to_get_one(tmp_path: Path) -> None:
    (tmp_path / "jdk-8" / "bin").mkdir(parents=True)
    with pytest.raises(LocalNodeError, match="ES_JAVA_HOME"):
        jdk.find_java_home(env={"JAVA_HOME": str(tmp_path / "missing")}, jvm_root=tmp_path)


def test_jdk_21_or_newer_is_found_on_this_machine() -> None:
    home = jdk.find_java_home(env={})
    assert (jdk.java_major(home) or 0) >= 21


@pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
def test_chown_tree_gives_files_away_and_skips_files_that_vanish(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "a.yml").write_text("x")
    vanished = tmp_path / "tmp-gone"  # listed by the walk, deleted before its turn
    real_rglob = Path.rglob

    def rglob_with_a_vanished_file(self: Path, pattern: str) -> list[Path]:
        return [*real_rglob(self, pattern), vanished]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "rglob", rglob_with_a_vanished_file)
        runas.chown_tree(tmp_path, "nobody")
    nobody = pwd.getpwnam("nobody").pw_uid
    assert {p.stat().st_uid for p in (tmp_path, *real_rglob(tmp_path, "*"))} == {nobody}
