"""Measurements for bench/SCALE.md: when `CLUSTER_LOG` names a file, each cluster test appends
one JSON line with what it measured (times, counts, statuses, latencies); `python -m
bench.cluster` (`make cluster-test`) runs these tests and renders the lines. Without the
variable nothing is written."""

from __future__ import annotations

import json
import os
from typing import Any


def measured(**fields: Any) -> None:
    path = os.environ.get("CLUSTER_LOG")
    if not path:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    line = json.dumps({"test": test, **fields}, ensure_ascii=False, default=str)
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
