"""The end of the soak: the index against the registry's final content. Every record the
registry holds is live with its current content hash, every record it dropped is tombstoned,
and no registry id is stored twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan

from indexer.sources import parsing
from indexer.sources.icreat import ID_KEY
from trials.model import content_hash, doc_id


@dataclass(frozen=True)
class Verdict:
    source: str
    expected_live: int
    live: int
    lost: int  # in the registry, but missing, tombstoned or with old content
    stale_content: int  # live, but its hash is not the registry's current one
    not_removed: int  # gone from the registry, still live
    duplicated: int  # registry ids stored under more than one document

    @property
    def ok(self) -> bool:
        return not (self.lost or self.stale_content or self.not_removed or self.duplicated)


async def _stored(es: AsyncElasticsearch, alias: str, source: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    query = {"query": {"term": {"source": source}}, "_source": ["content_hash", "removed_at"]}
    async for hit in async_scan(es, index=alias, query=query, size=1000):
        found[hit["_id"]] = hit["_source"]
    return found


async def _duplicates(es: AsyncElasticsearch, alias: str, source: str) -> int:
    found = await es.search(
        index=alias,
        size=0,
        query={"term": {"source": source}},
        aggs={"ids": {"terms": {"field": "registry_id", "min_doc_count": 2, "size": 100}}},
    )
    return len(found["aggregations"]["ids"]["buckets"])


async def verify_icreat(
    es: AsyncElasticsearch, alias: str, rows: list[dict[str, Any]], ever: set[str]
) -> Verdict:
    await es.indices.refresh(index=alias)
    stored = await _stored(es, alias, "icreat")
    expected = {doc_id("icreat", r[ID_KEY]): content_hash(parsing.canonical_flat(r)) for r in rows}
    live = {k for k, v in stored.items() if not v.get("removed_at")}
    lost = sum(1 for k in expected if k not in live)
    stale = sum(1 for k, h in expected.items() if k in live and stored[k]["content_hash"] != h)
    gone = {doc_id("icreat", i) for i in ever} - expected.keys()
    return Verdict(
        source="icreat",
        expected_live=len(expected),
        live=len(live),
        lost=lost,
        stale_content=stale,
        not_removed=len(gone & live),
        duplicated=await _duplicates(es, alias, "icreat"),
    )


async def verify_static(es: AsyncElasticsearch, alias: str, source: str, ids: set[str]) -> Verdict:
    """A source whose registry did not change during the soak: exactly its ids, live."""
    stored = await _stored(es, alias, source)
    live = {k for k, v in stored.items() if not v.get("removed_at")}
    expected = {doc_id(source, i) for i in ids}
    return Verdict(
        source=source,
        expected_live=len(expected),
        live=len(live),
        lost=len(expected - live),
        stale_content=0,
        not_removed=len(live - expected),
        duplicated=await _duplicates(es, alias, source),
    )
