"""The soak's registry: the recorded iCReaT records plus generated ones, served by the fake
registry of the tests, and changed every minute (records edited, added and removed) so each
scheduled sync has real work to do."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from indexer.sources.icreat import ID_KEY
from testkit.registry import records
from testkit.synthetic import demo_record

Record = dict[str, Any]


def generated(index: int) -> Record:
    """An iCReaT-shaped record with an id of its own (`S000123`)."""
    return {**demo_record(index, seed=7), ID_KEY: f"S{index:06d}"}


@dataclass(frozen=True)
class Change:
    edited: int
    added: int
    removed: int


@dataclass
class ChangingIcreat:
    """Ordered records the fake registry pages through. `change()` swaps in a new list in one
    assignment, so a page is never read from a half-changed list."""

    size: int
    rows: list[Record] = field(default_factory=list)
    next_index: int = 0
    ever: set[str] = field(default_factory=set)  # every id the registry ever served

    def __post_init__(self) -> None:
        real = records.icreat_records()
        self.rows = real + [generated(i) for i in range(1, self.size - len(real) + 1)]
        self.next_index = self.size - len(real) + 1
        self.ever = {r[ID_KEY] for r in self.rows}

    def change(self, round_no: int, rng: random.Random, per_round: int) -> Change:
        rows = [dict(r) for r in self.rows]
        for victim in sorted(rng.sample(range(len(rows)), per_round), reverse=True):
            del rows[victim]
        for target in rng.sample(range(len(rows)), per_round * 2):
            rows[target]["연구기간"] = f"{round_no}년"
        for _ in range(per_round):
            rows.insert(rng.randrange(len(rows) + 1), generated(self.next_index))
            self.next_index += 1
        self.rows = rows
        self.ever |= {r[ID_KEY] for r in rows}
        return Change(edited=per_round * 2, added=per_round, removed=per_round)
