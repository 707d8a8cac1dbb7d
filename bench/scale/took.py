"""Where search time grows with the registry: the node's own `took` for each search of
bench.scale's mix (the page request the API sends, without its counts), at each size, on one
private node. Each size is synced through the real ctgov source from the generated registry
and force-merged, as bench.scale does; after a warm-up round, each search is asked for its
first five pages and the median `took` printed (request cache off). Prints a table; writes
nothing. Usage:
    .venv/bin/python -m bench.scale.took [--sizes 50000,500000]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import statistics
from typing import Any

from elasticsearch import AsyncElasticsearch

from bench.indexer.child import sync_child
from bench.scale.measure import PAGE_SIZE, SLOW, sync_env
from bench.scale.search import LIMIT, PAGES, QUERIES
from service.paging import load_pairs
from service.params import search_params
from service.schemas.trials import TrialSearchQuerySchema
from service.search import search_body
from testkit.elastic_node import private_node
from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from testkit.synthetic_ctgov import ctgov_study
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings


def page_body(query: dict[str, str]) -> dict[str, Any]:
    """The page search the API sends for `query` (its facets are counted apart)."""
    parsed = load_pairs(TrialSearchQuerySchema(), tuple(query.items()))
    body = search_body(search_params(parsed))
    body.pop("aggs")
    body["_source"] = body.pop("source")
    return {**body, "size": LIMIT, "track_total_hits": False}


async def median_took(es: AsyncElasticsearch, index: str, body: dict[str, Any]) -> float:
    took = []
    for page in range(PAGES):
        paged = {**body, "from": page * LIMIT}
        found = await es.search(index=index, body=paged, request_cache=False)
        took.append(found["took"])
    return statistics.median(took)


async def built(es: AsyncElasticsearch, settings: Settings, size: int) -> str:
    """The trials alias of `size` generated studies, synced and force-merged."""
    state = RegistryState(ctgov=GeneratedRows(size, make=ctgov_study))
    runner, url = await start_registry(state)
    try:
        own = dataclasses.replace(settings, index_prefix=f"{settings.index_prefix}{size}-")
        result = await sync_child(sync_env(own, url), PAGE_SIZE, "source=ctgov")
        if result["counts"].get("created") != size:
            raise RuntimeError(f"sync of {size}: {result['counts']}")
    finally:
        await runner.cleanup()
    alias = Names.from_settings(own).trials
    await es.indices.refresh(index=alias)
    await es.options(request_timeout=SLOW).indices.forcemerge(index=alias, max_num_segments=1)
    return alias


async def main(sizes: list[int]) -> None:
    with private_node() as node:
        settings = dataclasses.replace(
            Settings.from_env(), es_urls=(node.url,), index_prefix="took-", es_timeout_s=120.0
        )
        es = make_client(settings)
        try:
            aliases = [await built(es, settings, size) for size in sizes]
            for alias in aliases:  # a new node's first searches (JIT, caches) are slower
                for query in QUERIES:
                    await median_took(es, alias, page_body(query))
            print("search".ljust(52) + "".join(f"{size:>12,}" for size in sizes) + "   (ms)")
            sums = [0.0] * len(sizes)
            for query in QUERIES:
                body = page_body(query)
                took = [await median_took(es, alias, body) for alias in aliases]
                sums = [s + t for s, t in zip(sums, took, strict=True)]
                label = json.dumps(query, ensure_ascii=False)[:50]
                print(label.ljust(52) + "".join(f"{t:12.0f}" for t in took), flush=True)
            print("sum".ljust(52) + "".join(f"{s:12.0f}" for s in sums))
        finally:
            await es.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,500000")
    args = parser.parse_args()
    asyncio.run(main([int(size) for size in args.sizes.split(",")]))
