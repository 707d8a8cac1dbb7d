"""A node's configuration: loopback only, security off; alone (`discovery.type: single-node`,
1 GiB heap) or one member of a local cluster (seed hosts, 512 MiB heap). Every node gets
`path.repo`, so `trials backup` can register a filesystem snapshot repository."""

from __future__ import annotations

import shutil

from localnode.layout import Layout
from localnode.topology import Topology


def elasticsearch_yml(layout: Layout, topology: Topology, bootstrap: bool = False) -> str:
    """`bootstrap`: the cluster's very first start, the only time `cluster.initial_master_nodes`
    may be set (Elastic: remove it once the cluster has formed)."""
    return "\n".join(
        [
            f"cluster.name: {topology.cluster_name}",
            f"node.name: {topology.node_name(layout)}",
            "network.host: 127.0.0.1",  # loopback keeps the node in development mode
            f"http.port: {layout.port}",
            f"transport.port: {layout.transport_port}",
            *_discovery(topology, bootstrap),
            "xpack.security.enabled: false",  # the integ-test zip ships security; local use is open
            # Full development disks would otherwise turn indices read-only.
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",  # tests delete their prefix-* indices
            f"path.data: {layout.data_dir}",
            f"path.logs: {layout.logs_dir}",
            f"path.repo: {topology.repo_dir}",
            "",
        ]
    )


def _discovery(topology: Topology, bootstrap: bool) -> list[str]:
    if topology.size == 1:
        return ["discovery.type: single-node"]
    lines = [f"discovery.seed_hosts: [{', '.join(topology.seed_hosts)}]"]
    if bootstrap:
        names = ", ".join(topology.node_name(member) for member in topology.members)
        lines.append(f"cluster.initial_master_nodes: [{names}]")
    return lines


def jvm_options(layout: Layout, heap: str) -> str:
    return "\n".join(
        [
            f"-Xms{heap}",
            f"-Xmx{heap}",
            # Replace the default 2 GB of rotating GC logs with a small file.
            "-Xlog:disable",
            "-Xlog:all=warning:stderr:utctime,level,tags",
            f"-Xlog:gc*:file={layout.logs_dir}/gc.log:utctime,pid,tags:filecount=2,filesize=8m",
            "",
        ]
    )


def write(layout: Layout, topology: Topology, bootstrap: bool = False) -> None:
    """Create the node folder from the distribution's config, then our two files (idempotent)."""
    if not (layout.config_dir / "jvm.options").is_file():
        shutil.copytree(layout.es_home / "config", layout.config_dir, dirs_exist_ok=True)
    folders = (layout.data_dir, layout.logs_dir, layout.config_dir / "jvm.options.d")
    for folder in (*folders, topology.repo_dir):
        folder.mkdir(parents=True, exist_ok=True)
    yml = elasticsearch_yml(layout, topology, bootstrap)
    (layout.config_dir / "elasticsearch.yml").write_text(yml)
    options = jvm_options(layout, topology.heap)
    (layout.config_dir / "jvm.options.d" / "trials.options").write_text(options)
