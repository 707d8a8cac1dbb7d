"""The stored registry record's share of the trials index, for ClinicalTrials.gov documents, and
what `best_compression` or a separate raw index would change (issue 13, item 3).

`--docs` generated CT.gov studies (`testkit.synthetic_ctgov`: the 203 recorded studies
recombined, each with its own NCT id) are normalised, tagged and hashed as the pipeline does
and bulk-written into private indices on the node of the settings (`TRIALS_ES_URL`; prefix
`bench-rawshare-…`, deleted after): the trials mapping with and without `raw`, each with the
default codec and with `index.codec: best_compression`, and `raw` alone in an index of its own
(what a `trials-raw` index would hold) with each codec too. Each index is force-merged to one
segment, then

- store: bytes per document of the merged index (`_stats/store`, primaries);
- _source: the stored `_source` field's part of it (the `_disk_usage` API);
- list page: median time of a page of 20 random trials with the list items' fields (what the
  search, recent and export lists fetch), and detail: of one random trial with its record
  (one `mget` over both indices for the separate layout). Both are medians of `--reads`
  requests, the layouts taking turns (one request each), on the same random trials.

Usage: .venv/bin/python -m bench.rawshare --docs 20000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import GeneralAvailabilityWarning
from elasticsearch.helpers import async_bulk

import mappings
from bench.generated_documents import study_document
from service.search import list_source
from testkit.synthetic_ctgov import generated_nct_id
from trials.es import make_client
from trials.model import doc_id
from trials.settings import Settings

SLOW_S = 1800.0  # a force-merge or a disk-usage analysis of a large index
NOW = "2026-01-01T00:00:00.000Z"


@dataclass(frozen=True)
class Layout:
    """One index of the comparison: which part of each document it holds, with which codec."""

    name: str
    part: str  # "whole": the trial with raw; "trial": without raw; "raw": raw alone
    codec: str  # "default" or "best_compression"


LAYOUTS = (
    Layout("trial with raw, default codec (mapping v2)", "whole", "default"),
    Layout("trial with raw, best_compression (v3)", "whole", "best_compression"),
    Layout("trial without raw, default codec", "trial", "default"),
    Layout("trial without raw, best_compression", "trial", "best_compression"),
    Layout("raw alone, default codec", "raw", "default"),
    Layout("raw alone, best_compression", "raw", "best_compression"),
)
# A separate raw index, read with the trial by the detail: the trial's index as fast to list
# as without raw (default codec), the records compressed hard (read one at a time).
SEPARATE = (LAYOUTS[2], LAYOUTS[5])


@dataclass(frozen=True)
class Measured:
    store: int  # bytes of the merged index
    source: int  # of which the stored `_source`
    docs: int


def documents(count: int) -> Iterator[dict[str, Any]]:
    """The `_source` of each study as a sync writes it."""
    for i in range(1, count + 1):
        yield study_document(i, now=NOW, run_id="rawshare")


def _part(body: dict[str, Any], part: str) -> dict[str, Any]:
    if part == "raw":
        return {"raw": body["raw"]}
    if part == "trial":
        return {k: v for k, v in body.items() if k != "raw"}
    return body


def _index_body(layout: Layout) -> dict[str, Any]:
    body = mappings.load("trials").with_shards(1, 0)
    if layout.part == "raw":
        raw_only = {
            "dynamic": "strict",
            "properties": {"raw": {"type": "object", "enabled": False}},
        }
        body = {"settings": {"number_of_shards": 1, "number_of_replicas": 0}, "mappings": raw_only}
    body["settings"]["codec"] = layout.codec  # whatever mappings/trials.json chose
    return body


async def build(es: AsyncElasticsearch, index: str, layout: Layout, count: int) -> Measured:
    body = _index_body(layout)
    await es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    actions = (
        {"_index": index, "_id": doc["id"], "_source": _part(doc, layout.part)}
        for doc in documents(count)
    )
    await async_bulk(es, actions, chunk_size=500, max_chunk_bytes=5_000_000)
    slow = es.options(request_timeout=SLOW_S)
    await slow.indices.forcemerge(index=index, max_num_segments=1)
    await es.indices.refresh(index=index)
    stats = await es.indices.stats(index=index, metric="store")
    with warnings.catch_warnings():  # the API is a technical preview, and says so each time
        warnings.simplefilter("ignore", GeneralAvailabilityWarning)
        usage = await slow.indices.disk_usage(index=index, run_expensive_tasks=True)
    source = usage[index]["fields"]["_source"]["total_in_bytes"]
    counted = (await es.count(index=index))["count"]
    return Measured(stats["_all"]["primaries"]["store"]["size_in_bytes"], source, counted)


Read = Callable[[int], Awaitable[object]]  # the i-th read of a kind: same documents everywhere


async def medians_ms(reads: int, readers: dict[str, Read]) -> dict[str, float]:
    """Each reader's median of `reads` timed reads, after a tenth as many untimed (caches
    warmed). The readers take turns, one read each, so the load other work puts on the
    machine falls on every layout alike."""
    warm = reads // 10
    times: dict[str, list[float]] = {name: [] for name in readers}
    for i in range(warm + reads):
        for name, read in readers.items():
            started = time.perf_counter()
            await read(i)
            if i >= warm:
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(taken) for name, taken in times.items()}


def _ids(count: int, read: int, n: int) -> list[str]:
    """The ids of the `read`-th read: `n` random studies, the same for every layout."""
    rng = random.Random(read)
    return [doc_id("ctgov", generated_nct_id(rng.randint(1, count))) for _ in range(n)]


def list_page(es: AsyncElasticsearch, index: str, count: int) -> Read:
    """A page of 20 list items, fetched as the lists fetch them."""

    async def read(i: int) -> object:
        ids = {"values": _ids(count, i, 20)}
        return await es.search(index=index, query={"ids": ids}, size=20, source=list_source())

    return read


def detail(es: AsyncElasticsearch, indices: list[str], count: int) -> Read:
    """One trial with its record: one `mget` over the indices that hold its parts."""

    async def read(i: int) -> object:
        (one,) = _ids(count, i, 1)
        return await es.mget(docs=[{"_index": index, "_id": one} for index in indices])

    return read


async def bench(count: int, reads: int) -> list[list[str]]:
    settings = Settings.from_env()
    es = make_client(settings)
    prefix = f"bench-rawshare-{uuid.uuid4().hex[:6]}-"
    index = {layout: f"{prefix}{i}" for i, layout in enumerate(LAYOUTS)}
    try:
        measured = {}
        for layout in LAYOUTS:
            measured[layout] = await build(es, index[layout], layout, count)
            print(f"built {layout.name}: {measured[layout]}", flush=True)
        return await _rows(es, index, measured, count, reads)
    finally:
        await es.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
        await es.close()


async def _rows(
    es: AsyncElasticsearch,
    index: dict[Layout, str],
    measured: dict[Layout, Measured],
    count: int,
    reads: int,
) -> list[list[str]]:
    for layout, found in measured.items():
        if found.docs != count:
            raise RuntimeError(f"{layout.name}: {found.docs} documents, not {count}")
    trial, raw = SEPARATE
    separate = f"separate: {trial.name} + {raw.name}"
    readers = {f"list {x.name}": list_page(es, index[x], count) for x in LAYOUTS if x.part != "raw"}
    readers |= {
        f"detail {x.name}": detail(es, [index[x]], count) for x in LAYOUTS if x.part != "raw"
    }
    readers[f"detail {separate}"] = detail(es, [index[trial], index[raw]], count)
    taken = {name: f"{ms:.1f}" for name, ms in (await medians_ms(reads, readers)).items()}
    rows = [["layout", "store B/doc", "_source B/doc", "raw's share", "list page ms", "detail ms"]]
    for layout in LAYOUTS:
        found = measured[layout]
        plain = next(x for x in LAYOUTS if x.part == "trial" and x.codec == layout.codec)
        share = f"{1 - measured[plain].store / found.store:.0%}" if layout.part == "whole" else "-"
        times = [taken.get(f"{kind} {layout.name}", "-") for kind in ("list", "detail")]
        rows.append([layout.name, *_per_doc(found, count), share, *times])
    both = Measured(
        measured[trial].store + measured[raw].store,
        measured[trial].source + measured[raw].source,
        count,
    )
    rows.append([separate, *_per_doc(both, count), "-", "-", taken[f"detail {separate}"]])
    return rows


def _per_doc(found: Measured, count: int) -> list[str]:
    return [f"{found.store / count:,.0f}", f"{found.source / count:,.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--reads", type=int, default=200, help="requests per latency median")
    args = parser.parse_args()
    rows = asyncio.run(bench(args.docs, args.reads))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"{args.docs:,} CT.gov documents, force-merged to one segment")
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))


if __name__ == "__main__":
    main()
