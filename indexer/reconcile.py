"""What a dead run wrote, read back from the trial documents. A run killed after its `_bulk`
reached the node, but before the answer came back, wrote documents its sync-log document never
counted (its counts are those of its last heartbeat). Every write names its run
(`last_run_id`), a content write's `changed_at` is the run's start, and so is a tombstone's
`removed_at`: the run that closes a dead one counts them from there.

Writes that changed no registry content (re-normalised, re-read) keep the earlier `changed_at`,
so they are not told apart here; created, updated, restored and removed are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch

from indexer.tally import ID_LIST_CAP

# Which of the run's writes each count is, besides `last_run_id`; `{at}` is the run's start.
_KINDS = {
    "created": ("changed_at", "last_change", "created"),
    "updated": ("changed_at", "last_change", "updated"),
    "restored": ("changed_at", "last_change", "restored"),
    "removed": ("removed_at", None, None),
}
# The sync log's id lists, as the tally keeps them (a restored id is listed as updated).
ID_LISTS = {"created": "created_ids", "updated": "updated_ids", "restored": "updated_ids"}
ID_LISTS |= {"removed": "removed_ids"}


@dataclass
class Written:
    """The counts and ids (capped) of a run's writes, as its documents show them."""

    counts: dict[str, int] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)


async def written_by(es: AsyncElasticsearch, alias: str, run_id: str, started_at: str) -> Written:
    """What the run `run_id`, started at `started_at` (as its sync log says), wrote in
    `alias`."""
    await es.indices.refresh(index=alias)  # its last writes may not be searchable yet
    written = Written()
    for kind, (time_field, term_field, term) in _KINDS.items():
        filters: list[dict[str, Any]] = [
            {"term": {"last_run_id": run_id}},
            {"term": {time_field: started_at}},
        ]
        if term_field is not None:
            filters.append({"term": {term_field: term}})
        found = await es.search(
            index=alias,
            query={"bool": {"filter": filters}},
            size=ID_LIST_CAP,
            source=False,
            track_total_hits=True,
        )
        written.counts[kind] = int(found["hits"]["total"]["value"])
        written.ids[kind] = [hit["_id"] for hit in found["hits"]["hits"]]
    return written


def reconciled(body: dict[str, Any], written: Written) -> dict[str, Any]:
    """The dead run's sync-log document with what its documents show: each count at least
    what was written, each id list completed (capped), and a note of it in the message."""
    counts = dict(body.get("counts") or {})
    for kind, found in written.counts.items():
        counts[kind] = max(int(counts.get(kind, 0)), found)
    # each record fetched ends in one count (tombstones are of records not fetched)
    ended = sum(
        int(n) for name, n in counts.items() if name not in ("fetched", "removed", "history")
    )
    counts["fetched"] = max(int(counts.get("fetched", 0)), ended)
    lists = {name: list(body.get(name) or []) for name in set(ID_LISTS.values())}
    for kind, ids in written.ids.items():
        listed = lists[ID_LISTS[kind]]
        known = set(listed)
        listed.extend(i for i in ids if i not in known)
        del listed[ID_LIST_CAP:]
    shown = ", ".join(f"{n} {kind}" for kind, n in written.counts.items() if n)
    if not shown:
        return body
    note = f"its documents show {shown}"
    message = f"{body['message']}; {note}" if body.get("message") else note
    return body | lists | {"counts": counts, "message": message}
