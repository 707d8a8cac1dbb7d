"""The garbage collector while sync runs go. A run allocates a few hundred containers a record
(the record, the trial, its document, actions, responses); at CPython's default thresholds
that made a full collection every ~70,000 allocations, each scanning everything the process
holds (modules, clients, the vocabulary's tries once built), and young collections rescanning
the batches in flight: about a quarter of a sync's CPU at 20,000 records (issue 10).

While any run goes in the process, what existed before the first one is frozen out of
collection and young collections are rarer; the last run to end undoes both (frozen objects
go back to the oldest generation, so garbage among them is collected as before).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Net allocations between two young collections while a run goes (CPython's default: 700).
# Most of a run's objects die by reference counting, so the count seldom gets this far: at
# 20,000 records, collections took 0.01 s of the run's CPU at this value, 0.3-0.5 s at 10,000
# and 1.5 s at the default (with the heap frozen: 0.6 s), for the same peak RSS.
RUN_THRESHOLD = 50_000


@dataclass
class _Runs:
    """The runs going in this process, and the thresholds from before the first one."""

    going: int = 0
    thresholds: tuple[int, int, int] = (700, 10, 10)


_RUNS = _Runs()


@contextmanager
def during_run() -> Iterator[None]:
    """Collection as a run wants it, for as long as any run goes (runs may overlap)."""
    if _RUNS.going == 0:
        _RUNS.thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(RUN_THRESHOLD, *_RUNS.thresholds[1:])
    _RUNS.going += 1
    try:
        yield
    finally:
        _RUNS.going -= 1
        if _RUNS.going == 0:
            gc.set_threshold(*_RUNS.thresholds)
            gc.unfreeze()
