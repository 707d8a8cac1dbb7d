"""Provide a real Elasticsearch node to the test session, never a stand-in.

In order: `TRIALS_ES_URL` when set; else, when a Docker engine answers, the official image with
nori through testcontainers; else the local node of `trials es start` (started here if needed,
and stopped at the end only if this session started it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from localnode.versions import ES_VERSION

REPO = Path(__file__).resolve().parents[1]


class NoNode(RuntimeError):
    """No Elasticsearch node could be provided."""


def _docker_answers() -> bool:
    if not Path("/var/run/docker.sock").exists() and not os.environ.get("DOCKER_HOST"):
        return False
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure means "no usable engine"; the reason does not matter here
        return False


@contextmanager
def _container() -> Iterator[str]:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.image import DockerImage
    from testcontainers.core.waiting_utils import wait_for_logs

    with (
        DockerImage(
            path=str(REPO / "docker" / "elasticsearch"),
            tag=f"trials-es-nori:{ES_VERSION}",
            buildargs={"ES_VERSION": ES_VERSION},
        ) as image,
        DockerContainer(str(image))
        .with_env("discovery.type", "single-node")
        .with_env("xpack.security.enabled", "false")
        .with_env("ES_JAVA_OPTS", "-Xms1g -Xmx1g")
        .with_exposed_ports(9200) as container,
    ):
        wait_for_logs(container, "started", timeout=180)
        yield f"http://{container.get_container_host_ip()}:{container.get_exposed_port(9200)}"


@contextmanager
def _local() -> Iterator[str]:
    from localnode.layout import Layout
    from localnode.node import LocalNode
    from trials.settings import Settings

    settings = Settings.from_env()
    node = LocalNode(Layout.for_settings(settings.es_home, settings.es_port))
    started = node.start()
    try:
        yield started.url
    finally:
        if not started.already_running:
            node.stop()


@contextmanager
def provide_node() -> Iterator[str]:
    url = os.environ.get("TRIALS_ES_URL", "").strip()
    if url:
        yield url.split(",")[0].rstrip("/")
        return
    provider = _container if _docker_answers() else _local
    try:
        context = provider()
        url = context.__enter__()
    except Exception as exc:
        raise NoNode(
            f"could not provide an Elasticsearch node ({provider.__name__}): {exc}"
        ) from exc
    try:
        yield url
    finally:
        context.__exit__(None, None, None)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def private_node() -> Iterator[Any]:
    """A node of our own (same install, its own port and data), for tests that stop or restart
    it; removed afterwards. Yields the LocalNode."""
    import shutil

    from localnode.layout import Layout
    from localnode.node import LocalNode
    from trials.settings import Settings

    settings = Settings.from_env()
    base = Layout.for_settings(settings.es_home, free_port())
    node = LocalNode(base)
    node.start()
    try:
        yield node
    finally:
        node.stop()
        shutil.rmtree(base.node_dir, ignore_errors=True)


def free_port_run(count: int) -> int:
    """A port P with P..P+count-1 and their transport ports (+100) all free, for a cluster."""
    from localnode.probe import port_in_use

    while True:
        base = free_port()
        wanted = [base + i for i in range(count)] + [base + 100 + i for i in range(count)]
        if max(wanted) < 65536 and not any(port_in_use(port) for port in wanted):
            return base


@contextmanager
def private_cluster(size: int) -> Iterator[Any]:
    """A cluster of `size` nodes of our own (same install, free ports, own data), for tests
    that kill nodes; stopped and removed afterwards. Yields the LocalCluster."""
    import shutil

    from localnode.cluster import LocalCluster
    from localnode.layout import Layout
    from localnode.topology import Topology
    from trials.settings import Settings

    settings = Settings.from_env()
    base = Layout.for_settings(settings.es_home, free_port_run(size))
    cluster = LocalCluster(Topology(base, size))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        for member in cluster.topology.members:
            shutil.rmtree(member.node_dir, ignore_errors=True)
