"""Service benchmark, ratios measured in one run on the same node (issue 4, "Benchmark"):

1. detail (by registry id) and search (Korean/English `q`, facets, highlights) at concurrency
   32 through the API, against the same Elasticsearch requests sent straight to the node
   (targets: throughput ≥ 0.7 of direct, p99 ≤ 1.5× direct), and detail one request at a time
   (no target: the latency the API adds when nothing else is asking);
2. a filtered search (the same `q` with age, sex and a 시/도 region, issue 10) against the plain
   search, both through the API in the same run (target: its time ≤ 1.2× the plain search's);
3. a cursor page 50,000 documents deep against the first page (target ≤ 2×);
4. compression (issue 15): rows 1-2 ask the API for `Accept-Encoding: identity`, as before
   the API compressed; the gzip row then reports the plain search with and without gzip,
   bytes saved and the server's CPU per request (bench.service.compression).

The documents are generated (bench.service.corpus) and loaded with plain `_bulk` into indices
under the prefix `bench-svc-`, deleted at the end. The API runs as `trials serve` in a child
process; the load generator here uses one aiohttp client for both sides. Each row's requests
(and the plain and filtered searches together) take turns in a few rounds, so a change in the
shared machine's load falls on all of them alike. Usage:
    .venv/bin/python -m bench.service [--docs 60000] [--seconds 10] [--concurrency 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import tempfile
import time
from typing import IO, Any
from urllib.parse import quote

import aiohttp
from elasticsearch.helpers import async_bulk

from bench.service import compression
from bench.service.corpus import QUERIES, document, documents
from bench.service.load import Request, Stats, add_load_options, hammer, interleaved
from service.search import SearchParams, search_body
from testkit.elastic_node import free_port
from testkit.served import serve_ready
from trials.es import make_client
from trials.indices import Names, ensure_indices
from trials.settings import Settings

PREFIX = "bench-svc-"
SIDES = ("api", "es")
DEEP = 50_000
PAGE = 100
# Rows 1-2: compression off on the API side, so their ratios compare with earlier runs
UNCOMPRESSED = {"Accept-Encoding": "identity"}


async def load_corpus(settings: Settings, count: int) -> None:
    es = make_client(settings)
    try:
        await es.indices.delete(index=f"{PREFIX}*", ignore_unavailable=True, allow_no_indices=True)
        await ensure_indices(es, settings)
        alias = Names.from_settings(settings).trials
        actions = ({"_index": alias, "_id": d["id"], "_source": d} for d in documents(count))
        t0 = time.perf_counter()
        await async_bulk(es.options(request_timeout=120), actions, chunk_size=2000)
        await es.indices.refresh(index=alias)
        await es.options(request_timeout=300).indices.forcemerge(index=alias, max_num_segments=1)
        print(f"loaded {count} documents in {time.perf_counter() - t0:.1f}s", flush=True)
    finally:
        await es.close()


async def drop_corpus(settings: Settings) -> None:
    es = make_client(settings)
    try:
        await es.indices.delete(index=f"{PREFIX}*", ignore_unavailable=True, allow_no_indices=True)
    finally:
        await es.close()


# The filtered search: who may take part and where, on top of the plain search's `q`
FILTER_AGE, FILTER_SEX = 45, "female"
FILTER_REGIONS = ("서울특별시", "경기도", "부산광역시", "대구광역시")


def filtered_query(n: int) -> dict[str, str]:
    region = FILTER_REGIONS[n % len(FILTER_REGIONS)]
    q = QUERIES[n % len(QUERIES)]
    return {"q": q, "age": str(FILTER_AGE), "sex": FILTER_SEX, "region": region, "limit": "20"}


def filtered_params(n: int) -> SearchParams:
    query = filtered_query(n)
    return SearchParams(q=query["q"], age=FILTER_AGE, sex=FILTER_SEX, regions=(query["region"],))


def direct_body(params: SearchParams) -> dict[str, Any]:
    body = search_body(params)
    body["_source"] = body.pop("source")
    return {**body, "from": 0, "size": 20}


async def expect_ok(response: aiohttp.ClientResponse) -> None:
    await response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.url}: HTTP {response.status}")


@dataclasses.dataclass(frozen=True)
class Endpoints:
    http: aiohttp.ClientSession
    api: str
    es: str
    alias: str
    docs: int

    def registry_id(self, n: int) -> str:
        return str(document((n * 7919) % self.docs)["registry_id"])

    async def api_detail(self, n: int) -> None:
        url = f"{self.api}/api/v1/trials/{self.registry_id(n)}"
        async with self.http.get(url, headers=UNCOMPRESSED) as r:
            await expect_ok(r)

    async def es_detail(self, n: int) -> None:
        """One trial read straight from the node: a realtime GET of its document. (The API
        reads the same document in real time, but batches concurrent reads into `_mget`.)"""
        doc_id = quote(str(document((n * 7919) % self.docs)["id"]), safe="")
        async with self.http.get(f"{self.es}/{self.alias}/_doc/{doc_id}") as r:
            await expect_ok(r)

    async def es_detail_search(self, n: int) -> None:
        """The search the API sent before it mapped registry ids to documents (and still
        sends for ids in no registry's format): the earlier baseline."""
        body = {
            "query": {"term": {"registry_id": self.registry_id(n)}},
            "size": 1,
            "sort": [{"id": "asc"}],
        }
        async with self.http.post(f"{self.es}/{self.alias}/_search", json=body) as r:
            await expect_ok(r)

    async def api_search(self, n: int) -> None:
        params = {"q": QUERIES[n % len(QUERIES)], "limit": "20"}
        async with self.http.get(
            f"{self.api}/api/v1/trials", params=params, headers=UNCOMPRESSED
        ) as r:
            await expect_ok(r)

    async def es_search(self, n: int) -> None:
        body = direct_body(SearchParams(q=QUERIES[n % len(QUERIES)]))
        async with self.http.post(f"{self.es}/{self.alias}/_search", json=body) as r:
            await expect_ok(r)

    async def api_filtered(self, n: int) -> None:
        async with self.http.get(
            f"{self.api}/api/v1/trials", params=filtered_query(n), headers=UNCOMPRESSED
        ) as r:
            await expect_ok(r)

    async def es_filtered(self, n: int) -> None:
        body = direct_body(filtered_params(n))
        async with self.http.post(f"{self.es}/{self.alias}/_search", json=body) as r:
            await expect_ok(r)


async def timed_get(http: aiohttp.ClientSession, url: str) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    async with http.get(url) as response:
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}: {body}")
    return time.perf_counter() - t0, body


async def cursor_pages(http: aiohttp.ClientSession, api: str, repeats: int) -> tuple[float, float]:
    """Median seconds of the first page (cursor=*) and of the page DEEP documents in."""
    base = f"{api}/api/v1/trials?sort=changed_at&limit={PAGE}"
    first = [(await timed_get(http, f"{base}&cursor=*"))[0] for _ in range(repeats)]
    _, page = await timed_get(http, f"{base}&cursor=*")
    for _ in range(DEEP // PAGE - 1):
        _, page = await timed_get(
            http, f"{api}/api/v1/trials?limit={PAGE}&cursor={page['next_cursor']}"
        )
    deep_url = f"{api}/api/v1/trials?limit={PAGE}&cursor={page['next_cursor']}"
    deep = []
    for _ in range(repeats):
        seconds, body = await timed_get(http, deep_url)
        if body["offset"] != DEEP:
            raise RuntimeError(f"expected offset {DEEP}, got {body['offset']}")
        deep.append(seconds)
    return statistics.median(first), statistics.median(deep)


def row(name: str, api: Stats, direct: Stats) -> str:
    return (
        f"{name:<8} {api.throughput:>9.0f} {direct.throughput:>9.0f} "
        f"{api.throughput / direct.throughput:>7.2f}   {api.p50_ms:>7.1f} {direct.p50_ms:>7.1f}"
        f"   {api.p99_ms:>7.1f} {direct.p99_ms:>7.1f} {api.p99_ms / direct.p99_ms:>7.2f}"
    )


async def measure(
    group: dict[str, tuple[Request, Request]], concurrency: int, args: argparse.Namespace
) -> dict[str, tuple[Stats, Stats]]:
    """Each row's API and direct requests, warmed up, then measured in interleaved rounds."""
    calls = {
        f"{name} {side}": call
        for name, pair in group.items()
        for side, call in zip(SIDES, pair, strict=True)
    }
    for call in calls.values():  # warm caches and connections
        await hammer(call, concurrency=concurrency, seconds=args.warmup)
    stats = await interleaved(
        calls, concurrency=concurrency, seconds=args.seconds, rounds=args.rounds
    )
    return {name: (stats[f"{name} api"], stats[f"{name} es"]) for name in group}


def filtered_row(api: Stats, direct: Stats, plain: Stats, plain_direct: Stats) -> str:
    """The filtered search's time against the plain search's, through the API and straight
    to the node (closed loop at one concurrency: mean time = concurrency / throughput)."""
    return (
        f"\nfiltered search (q + age + sex + region) vs plain search: API p50 "
        f"{api.p50_ms / plain.p50_ms:.2f}x, mean {plain.throughput / api.throughput:.2f}x; "
        f"direct p50 {direct.p50_ms / plain_direct.p50_ms:.2f}x, mean "
        f"{plain_direct.throughput / direct.throughput:.2f}x (target: API ≤ 1.2x)"
    )


async def run(args: argparse.Namespace, log: IO[bytes]) -> None:
    settings = dataclasses.replace(Settings.from_env(), index_prefix=PREFIX)
    await load_corpus(settings, args.docs)
    port = free_port()
    api_process = await serve_ready(settings, port, log)
    try:
        connector = aiohttp.TCPConnector(limit=args.concurrency * 2)
        async with aiohttp.ClientSession(connector=connector) as http:
            ends = Endpoints(
                http,
                f"http://127.0.0.1:{port}",
                settings.es_hosts[0],
                Names.from_settings(settings).trials,
                args.docs,
            )
            results = {}
            # the plain and the filtered search share their rounds: their ratio is a target
            for group, concurrency in (
                ({"detail": (ends.api_detail, ends.es_detail)}, args.concurrency),
                ({"detail/s": (ends.api_detail, ends.es_detail_search)}, args.concurrency),
                (
                    {
                        "search": (ends.api_search, ends.es_search),
                        "filtered": (ends.api_filtered, ends.es_filtered),
                    },
                    args.concurrency,
                ),
                ({"detail/1": (ends.api_detail, ends.es_detail)}, 1),
            ):
                results.update(await measure(group, concurrency, args))
            first, deep = await cursor_pages(http, ends.api, repeats=args.repeats)
            gzip_sides = await compression.measure(
                http,
                ends.api,
                api_process.pid,
                concurrency=args.concurrency,
                seconds=args.seconds,
                rounds=args.rounds,
            )
    finally:
        api_process.terminate()
        await api_process.wait()
        if not args.keep:
            await drop_corpus(settings)
    print(
        f"\n{args.docs} documents, concurrency {args.concurrency}, {args.seconds:.0f}s each "
        f"in {args.rounds} interleaved rounds"
    )
    print("         req/s API req/s ES   ratio   p50 API  p50 ES   p99 API  p99 ES   ratio")
    for name, (api, direct) in results.items():
        print(row(name, api, direct))
    print(filtered_row(*results["filtered"], *results["search"]))
    print(
        f"\ncursor page {DEEP} deep: {deep * 1000:.1f} ms; first page (cursor=*): "
        f"{first * 1000:.1f} ms; ratio {deep / first:.2f} (target ≤ 2)"
    )
    print(compression.report(gzip_sides))
    print(
        "detail: direct = one realtime GET per trial (the API batches concurrent reads into "
        "_mget); detail/s: direct = a term search on registry_id; detail/1: detail one "
        "request at a time (what the API adds to a lone request)"
    )
    print("targets: throughput ratio ≥ 0.7, p99 ratio ≤ 1.5")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_load_options(parser)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if args.docs <= DEEP + PAGE:
        parser.error(f"--docs must exceed {DEEP + PAGE} for the deep cursor page")
    with tempfile.TemporaryFile() as log:
        asyncio.run(run(args, log))
        log.seek(0)
        logged = sum(1 for _ in log)
    print(f"the API logged {logged} lines (its access log on, as in production)")


if __name__ == "__main__":
    main()
