"""The machine a report was produced on."""

from __future__ import annotations

import json
import os
import platform
import urllib.request
from pathlib import Path


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def es_version(es_url: str) -> str:
    """The version of the node at `es_url`, or why it could not be read."""
    try:
        with urllib.request.urlopen(f"{es_url}/_nodes/_local", timeout=10) as response:
            nodes = json.load(response)["nodes"]
        return str(next(iter(nodes.values()))["version"])
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        return f"unknown ({type(exc).__name__})"


def describe(es_url: str, version: str | None = None) -> dict[str, str]:
    """The machine, and the Elasticsearch version: `version` when the caller read it while
    its node ran, else read from the node at `es_url`."""
    return {
        "cores": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": f"{_memory_gib():.1f} GiB",
        "kernel": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "elasticsearch": version or es_version(es_url),
    }
