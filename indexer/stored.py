"""What the trials index holds for a batch's ids, as the pipeline compares it and the sink
writes from it: hashes, the times only the sink knows, the `_version` and, for sources whose
stored details are reused, the registry's record.

Read from doc values. Without the record, the hits are also asked without their stored fields
(`_id` among them): those live in the blocks `_source` is compressed in, and reading them cost
two thirds of a lookup's time on the node; the id comes from the `id` field's doc values. A
document without that field (none is written so) sends the batch the slower way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from elasticsearch import AsyncElasticsearch

# Stored's first fields, in its order, read from doc values (named as in the mapping)
STORED_FIELDS = [
    "content_hash",
    "first_seen_at",
    "removed_at",
    "changed_at",
    "last_change",
    "document_hash",
    "detail_read_at",
    "served_hash",
]


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ cost 2 us of a lookup's ~5
class Stored:
    content_hash: str | None
    first_seen_at: str | None
    removed_at: str | None
    changed_at: str | None = None
    last_change: str | None = None
    document_hash: str | None = None
    detail_read_at: str | None = None
    served_hash: str | None = None
    raw: dict[str, Any] | None = None  # read only for sources whose details are reused
    version: int | None = None  # the stored `_version` (names the change that leaves it)
    changed_fields: tuple[str, ...] = ()  # what the last content write changed


async def look_up(
    es: AsyncElasticsearch,
    alias: str,
    ids: Sequence[str],
    *,
    with_raw: bool = False,
    hashes_only: bool = False,
) -> dict[str, Stored]:
    """What is stored for `ids` (those not stored are absent). `hashes_only`: no more than
    whether a record changed needs (`content_hash`, `served_hash`, `removed_at`), half the
    node's time and a third of the answer, for the records of a run that are mostly
    unchanged."""
    ask = _Asked(with_raw, hashes_only, named=with_raw)
    hits = await _hits(es, alias, ids, ask)
    if not with_raw and any("id" not in hit.get("fields", {}) for hit in hits):
        hits = await _hits(es, alias, ids, replace(ask, named=True))
    return {_id_of(hit): _stored(hit) for hit in hits}


@dataclass(frozen=True)
class _Asked:
    with_raw: bool
    hashes_only: bool
    named: bool  # the hits' `_id` (from their stored fields)

    def fields(self) -> tuple[str, ...]:
        if self.hashes_only:
            return ("id", "content_hash", "removed_at", "served_hash")
        return ("id", *STORED_FIELDS, "changed_fields")


async def _hits(
    es: AsyncElasticsearch, alias: str, ids: Sequence[str], ask: _Asked
) -> list[dict[str, Any]]:
    found = await es.search(
        index=alias,
        query={"ids": {"values": list(ids)}},
        size=len(ids),
        source={"includes": ["raw"]} if ask.with_raw else False,
        stored_fields=None if ask.named else "_none_",
        docvalue_fields=[{"field": name} for name in ask.fields()],
        track_total_hits=False,
        version=not ask.hashes_only,
    )
    hits: list[dict[str, Any]] = found["hits"]["hits"]
    return hits


def _id_of(hit: dict[str, Any]) -> str:
    return str(hit["_id"]) if "_id" in hit else str(hit["fields"]["id"][0])


def _stored(hit: dict[str, Any]) -> Stored:
    fields = hit.get("fields", {})
    # unpacked and passed by position: a dict of them passed by name cost 1 us more a record
    content, first_seen, removed, changed, last, document, read_at, served = (
        fields.get(name, _ABSENT)[0] for name in STORED_FIELDS
    )
    return Stored(
        content,
        first_seen,
        removed,
        changed,
        last,
        document,
        read_at,
        served,
        raw=hit["_source"].get("raw") if "_source" in hit else None,
        version=hit.get("_version"),
        changed_fields=tuple(fields.get("changed_fields", ())),
    )


_ABSENT = (None,)  # a doc-value field the document has no value for
