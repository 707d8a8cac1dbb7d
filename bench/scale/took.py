"""Where search time grows with the registry: the node's own `took` for each search of
bench.scale's mix (the page request the API sends, without its counts), at each size, on one
private node. Each size is synced through the real ctgov source from the generated registry
and force-merged, as bench.scale does; after a warm-up round, each search is asked for its
first five pages and the median `took` printed (request cache off). Prints a table; writes
nothing. Usage:
    .venv/bin/python -m bench.scale.took [--sizes 50000,500000]
    .venv/bin/python -m bench.scale.took --aliases A,B   (indices built before, on TRIALS_ES_URL)
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


def page_body(query: dict[str, str], page: int) -> dict[str, Any]:
    """The search the API sends for page `page` of `query` (its facets are counted apart)."""
    offset = page * LIMIT
    body = search_body(search_params(_parsed(query)))
    body.pop("aggs")
    body["_source"] = body.pop("source")
    return {**body, "from": offset, "size": LIMIT, "track_total_hits": False}


async def median_took(es: AsyncElasticsearch, index: str, query: dict[str, str]) -> float:
    """The median `took` of the first PAGES pages of `query`."""
    took: list[float] = []
    for page in range(PAGES):
        found = await es.search(index=index, body=page_body(query, page), request_cache=False)
        took.append(found["took"])
    return statistics.median(took)


def _parsed(query: dict[str, str]) -> dict[str, Any]:
    return load_pairs(TrialSearchQuerySchema(), tuple(query.items()))


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
            await report(es, [await built(es, settings, size) for size in sizes])
        finally:
            await es.close()


async def report(es: AsyncElasticsearch, aliases: list[str]) -> None:
    for alias in aliases:  # a new node's first searches (JIT, caches) are slower
        for query in QUERIES:
            await median_took(es, alias, query)
    print("search".ljust(52) + "".join(f"{a[-12:]:>12}" for a in aliases) + "   (ms)")
    sums = [0.0] * len(aliases)
    for query in QUERIES:
        took = [await median_took(es, alias, query) for alias in aliases]
        sums = [s + t for s, t in zip(sums, took, strict=True)]
        label = json.dumps(query, ensure_ascii=False)[:50]
        print(label.ljust(52) + "".join(f"{t:12.0f}" for t in took), flush=True)
    print("sum".ljust(52) + "".join(f"{s:12.0f}" for s in sums))


async def on_node(aliases: list[str]) -> None:
    es = make_client(dataclasses.replace(Settings.from_env(), es_timeout_s=120.0))
    try:
        await report(es, aliases)
    finally:
        await es.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,500000")
    parser.add_argument(
        "--aliases", help="measure these trials aliases on TRIALS_ES_URL's node, built before"
    )
    args = parser.parse_args()
    if args.aliases:
        asyncio.run(on_node(args.aliases.split(",")))
    else:
        asyncio.run(main([int(size) for size in args.sizes.split(",")]))
