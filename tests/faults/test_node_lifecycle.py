"""The local node tooling against a node of its own: start, no-op restart, status, stop."""

from __future__ import annotations

from pathlib import Path

from localnode import probe
from testkit.elastic_node import private_node


def test_start_is_a_noop_on_a_running_node_and_stop_stops_exactly_it() -> None:
    with private_node() as node:
        pid = node.running_pid()
        assert pid is not None
        again = node.start()
        assert again.already_running
        assert node.running_pid() == pid
        status = node.status()
        assert status["plugins"] == ["trials-korean-analysis"]
        assert status["heap_max_mb"] == 1024
        assert status["version"].startswith("9.")
        assert node.stop()
        assert not Path(f"/proc/{pid}").exists()
        assert probe.health(node.url) is None
        assert not node.layout.pid_file.exists()
