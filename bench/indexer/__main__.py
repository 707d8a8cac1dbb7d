"""Indexer benchmark, ratios measured in one run on the same node (issue 3, "Benchmark"):

1. full sync of N generated iCReaT-shaped records from the local fake registry, against a raw
   `_bulk` of the same documents (normalised, tagged and hashed as the sync writes them, from
   the same generated records, in the timed loop as since issue 3) into an index with the same
   mapping, in as many concurrent streams as the sync keeps batches in flight (target ≥ 0.7,
   issue 10; the sync also writes a history document per trial), and, with no target, against
   the strict baseline: the same documents serialised into `_bulk` bodies before the clock
   starts (the node's own ingest time: on two cores, building the documents in Python takes
   longer than the node takes to index them);
2. an unchanged resync against the full sync (target ≤ 0.15, with zero index writes);
3. peak RSS of a sync of N records against one of N/10 (target ≤ 1.5: streaming);
4. the full sync, which writes a history document per created trial, against the same sync
   writing none (target ≥ 0.85), and the history documents an unchanged resync adds (== 0).

Each sync runs in a child process (`bench.indexer.child`), so its peak RSS is its own; the fake
registry runs here and builds each page on request. Usage:
    .venv/bin/python -m bench.indexer --records 100000
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

from elasticsearch import AsyncElasticsearch

from bench.generated_documents import synced_document
from bench.indexer.baseline import Baseline, prebuilt_bulk, raw_bulk
from bench.indexer.child import sync_child
from indexer.sources.icreat import IcreatSource
from testkit.children import child_env
from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from testkit.synthetic import demo_record
from trials.es import make_client
from trials.settings import Settings

PAGE_SIZE = 1000
NOW = "2026-01-01T00:00:00.000Z"


async def _child(
    settings: Settings, prefix: str, url: str, key: str, *extra: str
) -> dict[str, Any]:
    env = child_env(
        ",".join(settings.es_hosts), prefix, TRIALS_ICREAT_URL=url, TRIALS_DATA_GO_KR_KEY=key
    )
    return await sync_child(env, PAGE_SIZE, *extra)


def _documents(index: str, part: int, parts: int, count: int) -> Iterator[dict[str, Any]]:
    """The documents the sync writes, built the same way (normalised, tagged, hashed), for
    the raw `_bulk` baseline."""
    source = IcreatSource(None, "", "")  # type: ignore[arg-type]  # normalising never fetches
    for i in range(1 + part, count + 1, parts):
        raw = demo_record(i)
        body = synced_document(source, raw, now=NOW, run_id="raw-bulk", last_change="created")
        yield {"_index": index, "_id": body["id"], "_source": body}


async def _baseline(
    es: AsyncElasticsearch, settings: Settings, count: int, bulk: Baseline = raw_bulk
) -> float:
    """Seconds of a raw `_bulk` baseline; its index is deleted after (disk)."""
    index, seconds = await bulk(es, settings, partial(_documents, count=count))
    await es.indices.delete(index=index)
    return seconds


async def bench(records: int, small: int) -> list[tuple[str, str, str, str]]:
    base = Settings.from_env()
    prefix = f"bench-{uuid.uuid4().hex[:6]}-"
    settings = dataclasses.replace(base, index_prefix=f"{prefix}raw-")
    es = make_client(base)
    state = RegistryState(icreat=GeneratedRows(small))
    runner, url = await start_registry(state)
    try:
        small_run = await _child(base, f"{prefix}small-", f"{url}/icreat", state.key)
        state.icreat = GeneratedRows(records)
        raw_s = await _baseline(es, settings, records)
        strict = dataclasses.replace(base, index_prefix=f"{prefix}prebuilt-")
        strict_s = await _baseline(es, strict, records, prebuilt_bulk)
        full = await _child(base, prefix, f"{url}/icreat", state.key)
        again = await _child(base, prefix, f"{url}/icreat", state.key)
        bare = await _child(base, f"{prefix}bare-", f"{url}/icreat", state.key, "no-history")
    finally:
        await runner.cleanup()
        await es.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
        await es.close()
    assert full["counts"]["created"] == records, full
    assert again["counts"]["unchanged"] == records, again
    writes = again["index_total"] - full["index_total"]
    rss_ratio = full["max_rss_kb"] / small_run["max_rss_kb"]
    assert full["history_docs"] == records, full  # one `created` entry per trial
    added = again["history_docs"] - full["history_docs"]
    return [
        (
            "full sync vs raw _bulk building the same documents (speed)",
            f"{raw_s:.1f}s / {full['seconds']:.1f}s",
            f"{raw_s / full['seconds']:.2f}",
            ">= 0.7",
        ),
        (
            "full sync vs raw _bulk of pre-serialised documents (speed)",
            f"{strict_s:.1f}s / {full['seconds']:.1f}s",
            f"{strict_s / full['seconds']:.2f}",
            "(no target)",
        ),
        (
            "unchanged resync vs full sync (time)",
            f"{again['seconds']:.1f}s / {full['seconds']:.1f}s",
            f"{again['seconds'] / full['seconds']:.3f}",
            "<= 0.15",
        ),
        ("index writes during resync", f"{writes}", f"{writes}", "== 0"),
        (
            f"peak RSS {records:,} vs {small:,} records",
            f"{full['max_rss_kb'] / 1024:.0f} MiB / {small_run['max_rss_kb'] / 1024:.0f} MiB",
            f"{rss_ratio:.2f}",
            "<= 1.5",
        ),
        (
            "full sync with history vs without (speed)",
            f"{bare['seconds']:.1f}s / {full['seconds']:.1f}s",
            f"{bare['seconds'] / full['seconds']:.2f}",
            ">= 0.85",
        ),
        ("history documents added by the resync", f"{added}", f"{added}", "== 0"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--small", type=int, help="records of the RSS baseline (default N/10)")
    args = parser.parse_args()
    rows = asyncio.run(bench(args.records, args.small or max(args.records // 10, 1)))
    header = ("measure", "values", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
