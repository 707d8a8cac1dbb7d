"""`trials es start | stop | status | init`: the local node (or a local cluster of up to three
nodes, `--nodes N`) and the indices behind aliases."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cli.common import CommandError, add_command, add_json_flag, aligned, print_json
from trials.settings import Settings


def register(commands: Any) -> None:
    es = add_command(commands, "es", "Run the local Elasticsearch node and manage indices.")
    sub = es.add_subparsers(dest="es_command", metavar="ACTION", required=True)
    for name, help_text, handler in (
        (
            "start",
            "Provision (Maven, plugin build) and start the local node (or --nodes N of them); "
            "no-op if running.",
            start,
        ),
        (
            "install",
            "Fetch the node and build (with its tests) and install the Korean plugin.",
            install,
        ),
        ("stop", "Stop the local node, every node of it, that `trials es start` started.", stop),
        (
            "status",
            "Print version, health, plugins, data path and heap, and every node of the cluster.",
            status,
        ),
        ("init", "Create the versioned indices behind their aliases (idempotent).", init),
    ):
        parser = add_command(sub, name, help_text)
        parser.set_defaults(handler=handler)
        if handler is status:
            add_json_flag(parser)
        if handler is start:
            _add_nodes_option(parser)


def _add_nodes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nodes",
        type=int,
        choices=(1, 2, 3),
        default=1,
        help="how many nodes (default 1: the single node). More form one cluster: HTTP ports "
        "TRIALS_ES_PORT+i, transport +100, 512 MiB heap each",
    )


def _node(settings: Settings, nodes: int | None = None) -> Any:
    """The local cluster: `nodes` members, or as many as its last start had."""
    from localnode.cluster import LocalCluster
    from localnode.layout import Layout
    from localnode.topology import Topology

    base = Layout.for_settings(settings.es_home, settings.es_port)
    topology = Topology.recorded(base) if nodes is None else Topology(base, nodes)
    return LocalCluster(topology, say=_say)


def _say(line: str) -> None:
    """Progress (Maven, the plugin build, the node starting) on stderr, line by line."""
    print(f"trials: {line}", file=sys.stderr, flush=True)


def _local_only(settings: Settings) -> None:
    if settings.es_urls:
        raise CommandError("TRIALS_ES_URL is set: the local node is not used; unset it", 2)


@contextmanager
def _reported() -> Iterator[None]:
    """Local-node failures become one CLI message and exit code 1."""
    from localnode.errors import LocalNodeError

    try:
        yield
    except LocalNodeError as exc:
        raise CommandError(str(exc)) from exc


def start(args: argparse.Namespace, settings: Settings) -> int:
    _local_only(settings)
    with _reported():
        cluster = _node(settings, args.nodes)
        started = cluster.start()
    where = ", ".join(cluster.urls)
    if started.already_running:
        print(f"Elasticsearch is already running at {where}")
    else:
        print(f"Elasticsearch started at {where} in {started.seconds:.1f}s")
    return 0


def install(args: argparse.Namespace, settings: Settings) -> int:
    with _reported():
        java_home = _node(settings).nodes[0].provision()
    print(f"Elasticsearch and the Korean analysis plugin are installed (Java: {java_home})")
    return 0


def stop(args: argparse.Namespace, settings: Settings) -> int:
    _local_only(settings)
    stopped = _node(settings).stop()
    if stopped:
        print("Elasticsearch stopped" + (f" ({stopped} nodes)" if stopped > 1 else ""))
    else:
        print("Elasticsearch was not running (no live node from `trials es start`)")
    return 0


def status(args: argparse.Namespace, settings: Settings) -> int:
    _local_only(settings)
    with _reported():
        info = _node(settings).status()
    if args.json:
        print_json(info)
    else:
        print(status_table(info))
    return 0


STATUS_LABELS = {
    "url": "url",
    "version": "version",
    "health": "health",
    "plugins": "plugins",
    "data_path": "data path",
    "heap_max_mb": "heap max (MiB)",
    "pid": "pid",
}


def status_table(info: dict[str, Any]) -> str:
    """The status as `label  value` lines (lists comma-separated, unknown `-`), then the
    cluster's name and one `node` line per node, its fields in columns of their own."""
    rows: list[list[str]] = []
    for key, label in STATUS_LABELS.items():
        value = info.get(key)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        rows.append([label, "-" if shown in (None, "") else str(shown)])
    nodes = info.get("nodes") or []
    if nodes:
        count = f"{len(nodes)} node" + ("s" if len(nodes) > 1 else "")
        rows.append(["cluster", f"{info.get('cluster_name')} ({count})"])
        rows += [["node", line] for line in node_lines(nodes)]
    return aligned(rows)


def node_lines(nodes: list[dict[str, Any]]) -> list[str]:
    """Each node as `name  master|-  roles  heap MiB  http address  pid N`, columns aligned."""
    cells = [
        [
            str(node["name"]),
            "master" if node["master"] else "-",
            str(node["roles"]),
            f"{node['heap_max_mb']} MiB",
            str(node["http"]),
            f"pid {node['pid']}",
        ]
        for node in nodes
    ]
    return aligned(cells).splitlines()


def init(args: argparse.Namespace, settings: Settings) -> int:
    from elasticsearch import ApiError, TransportError

    from trials.es import make_client
    from trials.indices import ensure_indices

    async def run() -> dict[str, str]:
        async with make_client(settings) as es:
            return await ensure_indices(es, settings)

    try:
        created = asyncio.run(run())
    except (ApiError, TransportError) as exc:
        raise CommandError(
            f"could not initialise indices at {settings.es_hosts[0]}: {exc}"
        ) from exc
    for alias, index in created.items():
        print(f"{alias} -> {index}")
    return 0
