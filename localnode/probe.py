"""Small blocking HTTP reads of the node, for the CLI (the app uses the async client)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any


def get_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def health(base_url: str, timeout: float = 2.0, nodes: int | None = None) -> dict[str, Any] | None:
    """Cluster health once the node answers (there is no `GET /` in this distribution), at
    least yellow and, given `nodes`, with that many nodes joined; None otherwise."""
    query = "wait_for_status=yellow&timeout=1s"
    if nodes is not None:
        query += f"&wait_for_nodes={nodes}"
    try:
        result = get_json(f"{base_url}/_cluster/health?{query}", timeout)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if not isinstance(result, dict) or result.get("timed_out"):
        return None
    return result


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0
