"""Evidence for bench/RELIABILITY.md: when `RELIABILITY_LOG` names a file, the fault and
hostile tests append one JSON line per fault injected or hostile input tried, with what they
measured: how many times the fault was injected (counted where it was injected, e.g. the fake
registry's `injected`) and what the system was seen to do (run status and counts, answers,
records lost). The report is rendered from these lines and the test outcomes only; what each
fault test injects is described in bench/reliability/catalogue.py. Without the variable,
nothing is written."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.run import RunResult


def note(kind: str, **fields: Any) -> None:
    path = os.environ.get("RELIABILITY_LOG")
    if not path:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    line = json.dumps({"kind": kind, "test": test, **fields}, ensure_ascii=False, default=str)
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def fault(
    injected: int,
    did: str,
    *,
    then: str | None = None,
    lost: int | None = None,
    variant: str | None = None,
) -> None:
    """One fault injection as measured: `injected` times, `did` what the system was seen to
    do, `then` what followed (the next run), `lost` records the registry holds that the index
    no longer does (None: no records at stake), `variant` which parametrisation."""
    note("fault", injected=injected, outcome=did, then=then, lost=lost, variant=variant)


def ran(run: RunResult) -> str:
    """A run as it ended: its status, its non-zero counts and its message."""
    counts = ", ".join(f"{name} {n}" for name, n in run.counts.as_dict().items() if n)
    text = f"{run.status} ({counts or 'nothing counted'})"
    return text + (f": {run.message}" if run.message else "")
