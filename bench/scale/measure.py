"""One size of the scale benchmark on one node or cluster, in this order: a raw `_bulk` of
the documents the sync would write (timed, then deleted), a full sync of the generated
registry through the real ctgov source in a child process (its time and peak RSS), an
unchanged resync reading the whole registry again (`full`: every study fetched, hashed and
compared; no write expected), the trials index's store size after a refresh and again after a
force-merge to one segment, and search latency through the API on the merged index. Every
index made is deleted at the end, also on failure."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from elasticsearch import AsyncElasticsearch

from bench.generated_documents import study_document
from bench.indexer.baseline import raw_bulk
from bench.indexer.child import sync_child
from bench.scale.search import Latency, latency
from testkit.children import child_env
from testkit.registry.server import GeneratedRows, RegistryState
from testkit.synthetic_ctgov import ctgov_study
from trials.indices import Names
from trials.settings import Settings

PAGE_SIZE = 1000  # the CT.gov API's largest page: the source's for the whole registry
NOW = "2026-01-01T00:00:00.000Z"
SLOW = 3600.0  # seconds: a force-merge of 500,000 documents on two cores takes minutes
# a node keeps a store size for index.store.stats_refresh_interval (10 s by default)
STORE_STATS_S = 11.0


@dataclass(frozen=True)
class SearchLoad:
    concurrency: int
    seconds: float
    warmup: float


@dataclass(frozen=True)
class Store:
    """The trials index's size: its primaries, every copy (replicas too), its documents."""

    primaries: int
    total: int
    documents: int


@dataclass(frozen=True)
class SizeRun:
    size: int
    raw_s: float
    full_s: float
    full_rss_kb: int
    resync_s: float
    resync_writes: int
    refreshed: Store
    merged: Store
    search: Latency


@dataclass(frozen=True)
class Plan:
    """What every size on one node set shares: settings for its node(s) (shards, replicas,
    prefix), the fake registry's state and address, and the search load."""

    settings: Settings
    registry: RegistryState
    registry_url: str
    load: SearchLoad


async def measure(es: AsyncElasticsearch, plan: Plan, size: int) -> SizeRun:
    own = dataclasses.replace(plan.settings, index_prefix=f"{plan.settings.index_prefix}{size}-")
    plan.registry.ctgov = GeneratedRows(size, make=ctgov_study)
    try:
        raw_s = await _raw(es, own, size)
        full = await sync_child(sync_env(own, plan.registry_url), PAGE_SIZE, "source=ctgov")
        resync = await sync_child(
            sync_env(own, plan.registry_url), PAGE_SIZE, "source=ctgov", "full"
        )
        _expect(full["counts"].get("created") == size, "full sync created", full)
        _expect(resync["counts"].get("unchanged") == size, "resync unchanged", resync)
        alias = Names.from_settings(own).trials
        refreshed = await _store(es, alias)
        await es.options(request_timeout=SLOW).indices.forcemerge(index=alias, max_num_segments=1)
        merged = await _store(es, alias)
        load = plan.load
        searched = await latency(own, load.concurrency, load.seconds, load.warmup)
    finally:
        await es.indices.delete(
            index=f"{own.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
    return SizeRun(
        size,
        raw_s,
        full["seconds"],
        full["max_rss_kb"],
        resync["seconds"],
        resync["index_total"] - full["index_total"],
        refreshed,
        merged,
        searched,
    )


async def warm_up(es: AsyncElasticsearch, plan: Plan, size: int) -> None:
    """Every step once at `size` studies, measured for nothing: a new node set's cold start
    (JIT, first allocations, first searches) fell on the first size measured, its searches
    slower than the next, larger size's."""
    warm = dataclasses.replace(plan.settings, index_prefix=f"{plan.settings.index_prefix}warm-")
    await measure(es, dataclasses.replace(plan, settings=warm), size)


def sync_env(settings: Settings, registry_url: str) -> dict[str, str]:
    """The sync child's settings: these nodes, prefix, shards and replicas; the whole fake
    CT.gov registry (an empty query is every study)."""
    return child_env(
        ",".join(settings.es_hosts),
        settings.index_prefix,
        TRIALS_CTGOV_URL=f"{registry_url}/ctgov",
        TRIALS_CTGOV_QUERY="",
        TRIALS_INDEX_SHARDS=str(settings.index_shards),
        TRIALS_INDEX_REPLICAS=str(settings.index_replicas),
        TRIALS_ES_TIMEOUT=str(settings.es_timeout_s),
    )


async def _raw(es: AsyncElasticsearch, settings: Settings, size: int) -> float:
    """Seconds of the raw `_bulk` baseline; its index is deleted (disk) before the sync."""
    raw = dataclasses.replace(settings, index_prefix=f"{settings.index_prefix}raw-")
    index, seconds = await raw_bulk(es, raw, partial(_actions, count=size))
    await es.indices.delete(index=index)
    return seconds


def _actions(index: str, part: int, parts: int, count: int) -> Iterator[dict[str, Any]]:
    """The documents the sync writes for studies part+1, part+1+parts, …, built here in the
    timed loop as bench.indexer does."""
    for i in range(1 + part, count + 1, parts):
        body = study_document(i, now=NOW, run_id="raw", last_change="created")
        yield {"_index": index, "_id": body["id"], "_source": body}


async def _store(es: AsyncElasticsearch, alias: str) -> Store:
    await es.indices.refresh(index=alias)
    await es.options(request_timeout=SLOW).cluster.health(
        index=alias, wait_for_status="green", timeout=f"{int(SLOW) - 60}s"
    )
    await asyncio.sleep(STORE_STATS_S)  # else the size read can be the one before the merge
    stats = await es.indices.stats(index=alias, metric="store")
    (index,) = stats["indices"].values()
    counted = await es.count(index=alias)
    return Store(
        index["primaries"]["store"]["size_in_bytes"],
        index["total"]["store"]["size_in_bytes"],
        counted["count"],
    )


def _expect(holds: bool, what: str, result: dict[str, Any]) -> None:
    if not holds:
        raise RuntimeError(f"{what}: not every study ({result['counts']})")
