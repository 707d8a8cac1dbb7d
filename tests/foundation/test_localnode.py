"""Failure paths of `trials es`: each gives one clear message and a non-zero exit. How a JDK is
chosen (and the message when there is none), and the heartbeat of the slow steps."""

from __future__ import annotations

import os
import pwd
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import main
from localnode import jdk, runas, toolchain
from localnode.errors import LocalNodeError
from localnode.jdk import Candidate
from localnode.layout import Layout
from localnode.maven import run_maven
from localnode.node import LocalNode
from localnode.progress import Heartbeat, StepTimedOut, run_with_heartbeat


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
        jdk.find_java_home(
            env={"JAVA_HOME": str(tmp_path / "missing")}, jvm_root=tmp_path, other_globs=()
        )


JDK_17 = Candidate(Path("/usr/lib/jvm/java-17-openjdk-amd64"), 17, has_javac=True)
JRE_25 = Candidate(Path("/opt/jre-25"), 25, has_javac=False)
BROKEN = Candidate(Path("/opt/broken"), None, has_javac=True)
JDK_21 = Candidate(Path("/usr/lib/jvm/java-21-openjdk-amd64"), 21, has_javac=True)
JDK_25 = Candidate(Path("/usr/lib/jvm/temurin-25-jdk-amd64"), 25, has_javac=True)


def test_the_first_jdk_21_or_newer_with_javac_is_chosen() -> None:
    assert jdk.choose_java([JDK_17, JRE_25, BROKEN, JDK_21, JDK_25]) == JDK_21.home
    assert jdk.choose_java([JDK_25, JDK_21]) == JDK_25.home


def test_candidates_after_the_chosen_one_are_not_probed() -> None:
    def probed() -> Iterator[Candidate]:
        yield JDK_21
        raise AssertionError("probed a candidate after a suitable one")

    assert jdk.choose_java(probed()) == JDK_21.home


def test_without_a_jdk_the_message_names_what_was_tried_and_every_way_to_get_one() -> None:
    with pytest.raises(jdk.NoSuitableJdk) as raised:
        jdk.choose_java([JDK_17, JRE_25, BROKEN], system="apt-too-old")
    message = str(raised.value)
    assert message.startswith("no JDK >= 21 with javac found; tried: ")
    for tried in (
        "java-17-openjdk-amd64 (java 17)",
        "jre-25 (java 25, no javac)",
        "broken (no runnable java)",
    ):
        assert tried in message
    for way in ("Debian 12 ships 17", "Temurin", "adoptium.net", "SDKMAN", "tarball"):
        assert way in message
    assert "ES_JAVA_HOME" in message
    assert "apt-get install openjdk" not in message  # this system's apt has none to offer


@pytest.mark.parametrize(
    ("system", "way"),
    [("apt", "apt-get install openjdk-21-jdk-headless"), ("brew", "brew install openjdk@21")],
)
def test_the_message_puts_the_systems_own_package_first(system: str, way: str) -> None:
    lines = jdk.no_jdk_message([], system).splitlines()
    assert lines[0] == "no JDK >= 21 with javac found; tried: nothing."
    assert way in lines[2]
    assert any("SDKMAN" in line for line in lines[3:])


def test_candidates_come_in_order_of_preference_each_once(tmp_path: Path) -> None:
    for name in (
        "java-17-openjdk-amd64",
        "java-8-openjdk-amd64",
        "temurin-25-jdk-amd64",
        "java-21-openjdk-amd64",
    ):
        (tmp_path / name).mkdir()
    env = {"ES_JAVA_HOME": "/opt/es-java", "JAVA_HOME": str(tmp_path / "java-17-openjdk-amd64")}
    homes = list(jdk.candidate_homes(env, jvm_root=tmp_path, other_globs=()))
    assert homes == [
        Path("/opt/es-java"),
        tmp_path / "java-17-openjdk-amd64",  # from JAVA_HOME, not again from the folder
        tmp_path / "temurin-25-jdk-amd64",
        tmp_path / "java-21-openjdk-amd64",
        tmp_path / "java-8-openjdk-amd64",  # the 64 of amd64 is no version
    ]


def test_the_newest_openjdk_package_of_21_or_later_is_installed() -> None:
    names = ["openjdk-17-jdk-headless", "openjdk-21-jdk-headless", "openjdk-25-jdk-headless"]
    assert toolchain.newest_apt_jdk([*names, "openjdk-26-jre-headless"]) == names[2]
    assert toolchain.newest_apt_jdk(["openjdk-17-jdk-headless", "openjdk-17-jdk"]) is None


def test_make_java_maven_finds_both_on_this_machine_at_once() -> None:
    assert toolchain.main() == 0  # nothing missing here: nothing installed, exit 0


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


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_heartbeat_speaks_every_interval_with_the_elapsed_time() -> None:
    said: list[str] = []
    clock = FakeClock()
    heartbeat = Heartbeat(said.append, "waiting for Elasticsearch", every_s=5, clock=clock)
    spoke = []
    for now in (101.0, 104.9, 105.0, 107.0, 110.5, 112.0, 116.0):
        clock.now = now
        spoke.append(heartbeat.beat())
    assert spoke == [False, False, True, False, True, False, True]
    assert said == [
        "waiting for Elasticsearch … 5 s",
        "waiting for Elasticsearch … 10 s",
        "waiting for Elasticsearch … 16 s",
    ]


def test_heartbeat_shows_the_latest_line_shortened_to_one_line() -> None:
    clock = FakeClock()
    heartbeat = Heartbeat(print, "fetching", clock=clock)
    clock.now = 112.0
    url = "Downloading from central: https://repo/" + "x" * 200 + "/elasticsearch-9.5.0.zip"
    line = heartbeat.line(url)
    assert line.startswith("fetching … 12 s (…")
    assert line.endswith("/elasticsearch-9.5.0.zip)")
    assert len(line) <= 110


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_slow_step_beats_while_it_runs_and_shows_its_output() -> None:
    said: list[str] = []
    slow = "import time\nprint('Downloading from central: a.zip', flush=True)\ntime.sleep(2.6)"
    done = run_with_heartbeat(_python(slow), Heartbeat(said.append, "fetching", every_s=1.0))
    assert done.returncode == 0
    assert list(done.output.tail) == ["Downloading from central: a.zip"]
    assert 2 <= len(said) <= 3, said
    assert said[0].startswith("fetching … 1 s") or said[0].startswith("fetching … 2 s")
    assert all(line.endswith("(Downloading from central: a.zip)") for line in said)


def test_a_quick_step_says_nothing() -> None:
    said: list[str] = []
    done = run_with_heartbeat(_python("raise SystemExit(3)"), Heartbeat(said.append, "quick"))
    assert (done.returncode, said) == (3, [])


def test_a_step_past_its_time_limit_is_killed() -> None:
    said: list[str] = []
    with pytest.raises(StepTimedOut, match="no end after 1 s"):
        run_with_heartbeat(
            _python("import time; time.sleep(60)"),
            Heartbeat(said.append, "waiting", every_s=0.5),
            timeout_s=1.0,
        )
    assert said  # it beat before giving up


@pytest.fixture
def fake_mvn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A slow `mvn` on PATH that downloads nothing: prints as Maven does, sleeps, fails."""
    script = tmp_path / "bin" / "mvn"
    script.parent.mkdir()
    script.write_text(
        f"#!{sys.executable}\n"
        "import time\n"
        "print('[INFO] Scanning for projects...', flush=True)\n"
        "print('Downloading from central: https://repo/elasticsearch-9.5.0.zip', flush=True)\n"
        "time.sleep(1.6)\n"
        "print('[ERROR] Failed to execute goal: could not resolve', flush=True)\n"
        "print('[INFO] BUILD FAILURE')\n"
        "raise SystemExit(1)\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("localnode.progress.EVERY_S", 0.5)
    return script


def test_maven_progress_is_said_and_its_error_lines_reported(fake_mvn: Path) -> None:
    said: list[str] = []
    with pytest.raises(LocalNodeError) as raised:
        run_maven(["package"], Path("/opt/jdk"), "it failed", said.append, "fetching with Maven")
    assert str(raised.value) == "it failed:\n[ERROR] Failed to execute goal: could not resolve"
    assert said, "no heartbeat during a slow Maven run"
    assert said[0].startswith("fetching with Maven … ")
    assert "Downloading from central: https://repo/elasticsearch-9.5.0.zip" in said[0]
