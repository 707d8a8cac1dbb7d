"""What one run counted: every record ends in exactly one count, and the ids worth naming are
kept in capped lists (totals stay exact in `counts`).

`renormalized`: the registry's record did not change, but normalising it again gave another
document (a parser changed), so the document was rewritten; not a registry update.

`history`: the history documents written (`indexer.history`), one per registry change; not a
count of records (it is beside the outcomes, as `fetched` is)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ID_LIST_CAP = 1000
ERROR_IDS_CAP = 100
ERROR_KINDS_CAP = 50

Outcome = Literal[
    "created",
    "updated",
    "unchanged",
    "renormalized",
    "stale",
    "rejected",
    "failed",
    "removed",
    "restored",
]


@dataclass
class Counts:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    renormalized: int = 0
    stale: int = 0
    rejected: int = 0
    failed: int = 0
    removed: int = 0
    restored: int = 0
    history: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class Tally:
    counts: Counts = field(default_factory=Counts)
    created_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)
    # (kind, reason) → ids; kind is the outcome (rejected / failed / stale) or "source"
    errors: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, outcome: Outcome, doc_id: str | None, reason: str | None = None) -> None:
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        named = self._named(outcome)
        if doc_id is not None and named is not None and len(named) < ID_LIST_CAP:
            named.append(doc_id)
        if reason is not None:
            self.error(outcome, reason, doc_id)

    def _named(self, outcome: Outcome) -> list[str] | None:
        """The list an outcome's ids are named in, if any (restored ones count as updated)."""
        if outcome == "created":
            return self.created_ids
        if outcome == "updated" or outcome == "restored":
            return self.updated_ids
        return self.removed_ids if outcome == "removed" else None

    def error(self, kind: str, reason: str, doc_id: str | None = None) -> None:
        key = (kind, reason[:500])
        if key not in self.errors and len(self.errors) >= ERROR_KINDS_CAP:
            key = (kind, "(more errors of other kinds; see counts)")
        ids = self.errors.setdefault(key, [])
        if doc_id is not None and len(ids) < ERROR_IDS_CAP:
            ids.append(doc_id)

    def document(self) -> dict[str, Any]:
        return {
            "counts": self.counts.as_dict(),
            "created_ids": self.created_ids,
            "updated_ids": self.updated_ids,
            "removed_ids": self.removed_ids,
            "errors": [
                {"kind": kind, "reason": reason, "ids": ids}
                for (kind, reason), ids in self.errors.items()
            ],
        }
