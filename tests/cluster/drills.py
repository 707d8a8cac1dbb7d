"""What the cluster tests do to the cluster and read from it: kill a member the hard way, find
the elected master and a member by name, and summarise latencies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from localnode.cluster import LocalCluster
from localnode.node import LocalNode


def kill(node: LocalNode) -> float:
    """SIGKILL the node (no clean shutdown: a crash or a pulled plug); when it was sent."""
    pid = node.running_pid()
    assert pid is not None, f"{node.url} is not running"
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}").exists():
        time.sleep(0.01)
    return time.monotonic()


async def master_name(es: AsyncElasticsearch) -> str:
    found = await es.cat.master(format="json")
    return str(found.body[0]["node"])


def member(cluster: LocalCluster, name: str) -> LocalNode:
    """The member the cluster calls `name`."""
    for node in cluster.nodes:
        if cluster.topology.node_name(node.layout) == name:
            return node
    raise AssertionError(f"no member named {name}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def names_of(cluster: LocalCluster) -> list[str]:
    return [cluster.topology.node_name(node.layout) for node in cluster.nodes]
