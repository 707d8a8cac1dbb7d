"""Where the local node lives on disk and which user runs it.

As root (our machines and CI) the node runs as a dedicated system user, because Elasticsearch
refuses to run as root, and lives in /var/lib/trials-es, which that user can traverse. As a
normal user it runs as that user from ~/.cache/trials-es.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from localnode.versions import ES_VERSION

SERVICE_USER = "trials-es"


@dataclass(frozen=True)
class Layout:
    root: Path
    port: int
    run_as: str | None  # None: the current user

    @classmethod
    def for_settings(cls, es_home: Path | None, port: int) -> Layout:
        as_root = os.geteuid() == 0
        default = Path("/var/lib/trials-es") if as_root else Path.home() / ".cache" / "trials-es"
        return cls(root=es_home or default, port=port, run_as=SERVICE_USER if as_root else None)

    @property
    def es_home(self) -> Path:
        return self.root / f"elasticsearch-{ES_VERSION}"

    @property
    def node_dir(self) -> Path:
        # One folder per port, so several nodes (tests, fault drills) can share one install.
        return self.root / f"node-{self.port}"

    @property
    def config_dir(self) -> Path:
        return self.node_dir / "config"

    @property
    def data_dir(self) -> Path:
        return self.node_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.node_dir / "logs"

    @property
    def pid_file(self) -> Path:
        return self.node_dir / "es.pid"

    @property
    def transport_port(self) -> int:
        return self.port + 100
