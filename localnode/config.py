"""The node's configuration: a single loopback node, security off, 1 GiB heap."""

from __future__ import annotations

import shutil

from localnode.layout import Layout

HEAP = "1g"


def elasticsearch_yml(layout: Layout) -> str:
    return "\n".join(
        [
            f"cluster.name: trials-local-{layout.port}",
            "node.name: trials-local",
            "network.host: 127.0.0.1",  # loopback keeps the node in development mode
            f"http.port: {layout.port}",
            f"transport.port: {layout.transport_port}",
            "discovery.type: single-node",
            "xpack.security.enabled: false",  # the integ-test zip ships security; local use is open
            # Full development disks would otherwise turn indices read-only.
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",  # tests delete their prefix-* indices
            f"path.data: {layout.data_dir}",
            f"path.logs: {layout.logs_dir}",
            "",
        ]
    )


def jvm_options(layout: Layout) -> str:
    return "\n".join(
        [
            f"-Xms{HEAP}",
            f"-Xmx{HEAP}",
            # Replace the default 2 GB of rotating GC logs with a small file.
            "-Xlog:disable",
            "-Xlog:all=warning:stderr:utctime,level,tags",
            f"-Xlog:gc*:file={layout.logs_dir}/gc.log:utctime,pid,tags:filecount=2,filesize=8m",
            "",
        ]
    )


def write(layout: Layout) -> None:
    """Create the node folder from the distribution's config, then our two files (idempotent)."""
    if not (layout.config_dir / "jvm.options").is_file():
        shutil.copytree(layout.es_home / "config", layout.config_dir, dirs_exist_ok=True)
    for folder in (layout.data_dir, layout.logs_dir, layout.config_dir / "jvm.options.d"):
        folder.mkdir(parents=True, exist_ok=True)
    (layout.config_dir / "elasticsearch.yml").write_text(elasticsearch_yml(layout))
    (layout.config_dir / "jvm.options.d" / "trials.options").write_text(jvm_options(layout))
