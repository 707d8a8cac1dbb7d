"""Start, stop and describe one local node. `start` provisions everything it needs first;
a node may be one member of a local cluster (`localnode.cluster` starts those together)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localnode import config, distribution, jdk, plugin, probe, runas
from localnode.errors import LocalNodeError
from localnode.layout import Layout
from localnode.progress import Heartbeat, StepTimedOut, run_with_heartbeat
from localnode.topology import Topology

START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0

Say = Callable[[str], None]


@dataclass(frozen=True)
class Started:
    url: str
    already_running: bool
    seconds: float


class LocalNode:
    def __init__(
        self, layout: Layout, say: Say = lambda _: None, topology: Topology | None = None
    ) -> None:
        self.layout = layout
        self.say = say
        self.topology = topology or Topology(layout)  # alone unless told otherwise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.layout.port}"

    def running_pid(self) -> int | None:
        """The pid in our pid file when that process is alive and is this node; None otherwise."""
        try:
            pid = int(self.layout.pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if str(self.layout.es_home).encode() in cmdline else None

    def provision(self, bootstrap: bool = False) -> Path:
        """Distribution, user, config and plugin in place; returns the Java home used.
        `bootstrap`: the node's cluster starts for the first time (see config)."""
        java_home = jdk.find_java_home()
        if self.layout.run_as:
            runas.ensure_user(self.layout.run_as, self.layout.root)
        if not (self.layout.es_home / "lib").is_dir():
            self.say("fetching Elasticsearch with Maven (first run only)…")
        distribution.ensure_distribution(self.layout.root, java_home, self.say)
        config.write(self.layout, self.topology, bootstrap)
        if plugin.needs_build():
            self.say("building the Korean analysis plugin with Maven…")
            plugin.build(self.layout.es_home, java_home, say=self.say)
        if self.running_pid() is not None:
            # A running node holds the plugin open; a changed build is installed on next start.
            if plugin.installed_digest(self.layout.es_home) != plugin.sha256(plugin.built_zip()):
                self.say("the node is running: restart it to install the rebuilt plugin")
        elif plugin.install(self.layout, plugin.built_zip(), java_home):
            self.say("installed the Korean analysis plugin")
        runas.chown_tree(self.layout.root, self.layout.run_as)
        return java_home

    def start(self) -> Started:
        if self.running_pid() is not None and probe.health(self.url):
            return Started(self.url, already_running=True, seconds=0.0)
        self.topology.check_size()
        self.clear_stale_pid()
        self.check_ports_free()
        java_home = self.provision()
        heartbeat = Heartbeat(self.say, f"waiting for Elasticsearch at {self.url}")
        self.launch(java_home, heartbeat)
        self._wait_healthy(heartbeat)
        return Started(self.url, already_running=False, seconds=heartbeat.elapsed())

    def check_ports_free(self) -> None:
        for port in (self.layout.port, self.layout.transport_port):
            if probe.port_in_use(port):
                raise LocalNodeError(
                    f"port {port} is taken by another process; stop it or set "
                    f"TRIALS_ES_PORT to a free port"
                )

    def clear_stale_pid(self) -> None:
        if self.layout.pid_file.exists() and self.running_pid() is None:
            self.say(f"removing stale pid file {self.layout.pid_file}")
            self.layout.pid_file.unlink()

    def launch(self, java_home: Path, heartbeat: Heartbeat) -> None:
        """`elasticsearch -d`, which returns once the node has started (most of the wait)."""
        env = {"ES_JAVA_HOME": str(java_home), "ES_PATH_CONF": str(self.layout.config_dir)}
        argv = [
            str(self.layout.es_home / "bin" / "elasticsearch"),
            "-d",
            "-p",
            str(self.layout.pid_file),
        ]
        command = runas.command(argv, self.layout.run_as, env)
        try:
            done = run_with_heartbeat(command, heartbeat, timeout_s=START_TIMEOUT_S)
        except StepTimedOut as exc:
            raise LocalNodeError(f"{exc}:\n{self.log_tail()}") from exc
        if done.returncode != 0:
            raise LocalNodeError(
                f"Elasticsearch exited during start (code {done.returncode}):\n"
                + "\n".join(done.output.tail)
                + f"\n{self.log_tail()}"
            )

    def _wait_healthy(self, heartbeat: Heartbeat) -> None:
        while heartbeat.elapsed() < START_TIMEOUT_S:
            if probe.health(self.url):
                return
            if self.running_pid() is None:
                raise LocalNodeError(f"Elasticsearch exited during start:\n{self.log_tail()}")
            heartbeat.beat()
            time.sleep(0.5)
        raise LocalNodeError(
            f"Elasticsearch not healthy after {START_TIMEOUT_S:.0f}s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        log = self.topology.log_file(self.layout)
        if not log.is_file():
            return f"(no log at {log})"
        return f"--- last lines of {log} ---\n" + "\n".join(
            log.read_text(errors="replace").splitlines()[-lines:]
        )

    def stop(self) -> bool:
        """Stop the node this tool started; False when it was not running."""
        pid = self.terminate()
        if pid is not None:
            self.wait_gone(pid)
        return pid is not None

    def terminate(self) -> int | None:
        """Ask the node to shut down (it does so cleanly on TERM); its pid, None if not running."""
        pid = self.running_pid()
        if pid is None:
            self.clear_stale_pid()
            return None
        os.kill(pid, signal.SIGTERM)
        return pid

    def wait_gone(self, pid: int) -> None:
        """Until `pid` has exited; killed when it outlives the stop timeout."""
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.2)
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)
        self.layout.pid_file.unlink(missing_ok=True)

    def status(self) -> dict[str, Any]:
        """Version, health, plugins, data path and heap of a running node."""
        health = probe.health(self.url)
        if health is None:
            raise LocalNodeError(f"no Elasticsearch answering at {self.url}")
        nodes = probe.get_json(f"{self.url}/_nodes/_local/jvm,plugins,settings")["nodes"]
        node = next(iter(nodes.values()))
        return {
            "url": self.url,
            "version": node["version"],
            "health": health["status"],
            "plugins": [p["name"] for p in node.get("plugins", [])],
            # A node in a container may not list path.data among its settings.
            "data_path": node["settings"].get("path", {}).get("data"),
            "heap_max_mb": node["jvm"]["mem"]["heap_max_in_bytes"] // (1024 * 1024),
            "pid": self.running_pid(),
        }
