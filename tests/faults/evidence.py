"""Evidence for bench/RELIABILITY.md: when `RELIABILITY_LOG` names a file, the fault and
hostile tests append one JSON line per fault injected or hostile input tried (what, how
often, what the system did, records lost). Without it, nothing is written."""

from __future__ import annotations

import json
import os
from typing import Any


def note(kind: str, **fields: Any) -> None:
    path = os.environ.get("RELIABILITY_LOG")
    if not path:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    line = json.dumps({"kind": kind, "test": test, **fields}, ensure_ascii=False, default=str)
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
