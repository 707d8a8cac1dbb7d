"""Start, stop and describe the local cluster of `trials es start --nodes N`: every member runs
from the same install with its own folder and ports. The members start together, because a
member of a new cluster waits for a quorum of the others before it reports itself started; the
cluster is up once all N have joined and health is at least yellow."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from localnode import probe
from localnode.errors import LocalNodeError
from localnode.node import START_TIMEOUT_S, LocalNode, Say, Started
from localnode.progress import Heartbeat
from localnode.topology import Topology


class LocalCluster:
    def __init__(self, topology: Topology, say: Say = lambda _: None) -> None:
        self.topology = topology
        self.say = say
        self.nodes = [LocalNode(member, say, topology) for member in topology.members]

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(node.url for node in self.nodes)

    def healthy(self) -> bool:
        """All N members joined and health at least yellow, as seen from any member."""
        return any(probe.health(url, nodes=self.topology.size) for url in self.urls)

    def start(self) -> Started:
        """Start the members that are not running (all, the first time); a no-op when the
        whole cluster is up."""
        if self.topology.size == 1:
            return self.nodes[0].start()  # exactly the single node it always was
        down = [node for node in self.nodes if node.running_pid() is None]
        if not down and self.healthy():
            return Started(self.url, already_running=True, seconds=0.0)
        self._refuse_other_sizes(running=len(down) < len(self.nodes))
        for node in down:
            node.clear_stale_pid()
            node.check_ports_free()
        bootstrap = self.topology.never_started()
        java_home = down[0].provision(bootstrap) if down else None
        for node in down[1:]:
            node.provision(bootstrap)
        self.topology.record()
        heartbeat = Heartbeat(self.say, f"waiting for {self.topology.size} nodes from {self.url}")
        if java_home is not None:
            self._launch(down, java_home, heartbeat)
        self._wait_healthy(heartbeat)
        return Started(self.url, already_running=False, seconds=heartbeat.elapsed())

    def _refuse_other_sizes(self, running: bool) -> None:
        """Running members started for another size would never admit the new ones (a single
        node takes no others); data of a larger cluster cannot start alone."""
        recorded = self.topology.recorded_size()
        if running and recorded != self.topology.size:
            raise LocalNodeError(
                f"{recorded} node{'s' if recorded > 1 else ''} from port "
                f"{self.topology.base.port} already running: `trials es stop` first, then "
                f"`trials es start --nodes {self.topology.size}`"
            )
        self.topology.check_size()

    def _launch(self, nodes: list[LocalNode], java_home: Path, heartbeat: Heartbeat) -> None:
        """`elasticsearch -d` for every node at once; only the first one's heartbeat speaks."""
        beats = [heartbeat] + [Heartbeat(lambda _: None, node.url) for node in nodes[1:]]
        with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
            futures = [
                pool.submit(node.launch, java_home, beat)
                for node, beat in zip(nodes, beats, strict=True)
            ]
        for future in futures:
            future.result()  # the first member's failure, with its log tail

    def _wait_healthy(self, heartbeat: Heartbeat) -> None:
        while heartbeat.elapsed() < START_TIMEOUT_S:
            if self.healthy():
                return
            dead = [node for node in self.nodes if node.running_pid() is None]
            if dead:
                raise LocalNodeError(f"Elasticsearch exited during start:\n{dead[0].log_tail()}")
            heartbeat.beat()
            time.sleep(0.5)
        raise LocalNodeError(
            f"the {self.topology.size} nodes did not form a healthy cluster after "
            f"{START_TIMEOUT_S:.0f}s:\n{self.nodes[0].log_tail()}"
        )

    def stop(self) -> int:
        """Stop every member this tool started, all at once; how many were running."""
        pids = [(node, node.terminate()) for node in self.nodes]
        for node, pid in pids:
            if pid is not None:
                node.wait_gone(pid)
        return sum(pid is not None for _, pid in pids)

    def status(self) -> dict[str, Any]:
        """What `LocalNode.status` says of the first member that answers, with the cluster's
        name and every node it has (name, roles, elected master, heap, HTTP address, pid)."""
        for node in self.nodes:
            if probe.health(node.url) is not None:
                info = node.status()
                return {**info, **describe(node.url)}
        raise LocalNodeError(f"no Elasticsearch answering at {', '.join(self.urls)}")


def describe(url: str) -> dict[str, Any]:
    """The cluster's name and its nodes in name order, as the cluster itself sees them."""
    columns = "name,node.role,master,heap.max,http_address,pid"
    found = probe.get_json(f"{url}/_cat/nodes?format=json&bytes=mb&h={columns}")
    nodes = [
        {
            "name": row["name"],
            "roles": row["node.role"],
            "master": row["master"] == "*",
            "heap_max_mb": int(row["heap.max"]),
            "http": row["http_address"],
            "pid": int(row["pid"]),
        }
        for row in sorted(found, key=lambda row: str(row["name"]))
    ]
    name = probe.get_json(f"{url}/_cluster/health")["cluster_name"]
    return {"cluster_name": name, "nodes": nodes}
