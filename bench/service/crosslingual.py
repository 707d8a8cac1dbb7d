"""Cross-lingual search and suggestions, measured in one run on the same node (issue 11):

1. the search with concept expansion against the same search without it, straight to the
   node, the requests taking turns in interleaved rounds (target: its time ≤ 1.2× the time
   without); the same searches through the API, for reference;
2. GET /api/v1/suggest through the API at concurrency 32 (target: p99 ≤ 20 ms): a few starts
   typed over and over (what the answer cache keeps) and thousands of different ones (mostly
   asked of the node); the same query straight to the node; and GET /health, the floor (what
   any request to the API costs on this machine at that concurrency).

The documents are generated and tagged (bench.service.tagged_corpus), loaded with `_bulk` under
the prefix `bench-xl-`, the suggestions built as a sync run builds them (its time reported),
and everything deleted at the end. The API runs as `trials serve` in a child process. Usage:
    .venv/bin/python -m bench.service.crosslingual [--docs 60000] [--seconds 10]
        [--concurrency 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import tempfile
import time
from typing import IO, Any

import aiohttp
from elasticsearch.helpers import async_bulk

from bench.service.load import Request, Stats, hammer, interleaved
from bench.service.tagged_corpus import QUERIES, TYPED, tagged_documents, varied_typing
from indexer.suggestions import rebuild
from service.search import SearchParams, search_body
from service.suggestions import suggest_body
from testkit.elastic_node import free_port
from testkit.served import serve_ready
from trials.es import make_client
from trials.indices import Names, ensure_indices
from trials.settings import Settings

PREFIX = "bench-xl-"
TARGET_RATIO, TARGET_P99_MS = 1.2, 20.0


async def load(settings: Settings, count: int) -> None:
    es = make_client(settings)
    names = Names.from_settings(settings)
    try:
        await es.indices.delete(index=f"{PREFIX}*", ignore_unavailable=True, allow_no_indices=True)
        await ensure_indices(es, settings)
        t0 = time.perf_counter()
        actions = (
            {"_index": names.trials, "_id": d["id"], "_source": d} for d in tagged_documents(count)
        )
        await async_bulk(es.options(request_timeout=120), actions, chunk_size=2000)
        await es.options(request_timeout=300).indices.forcemerge(index=names.trials)
        print(f"loaded {count} tagged documents in {time.perf_counter() - t0:.1f}s", flush=True)
        t0 = time.perf_counter()
        written = await rebuild(es.options(request_timeout=120), names)
        print(f"suggestions built in {time.perf_counter() - t0:.1f}s: {written} entries")
    finally:
        await es.close()


def direct_search(q: str, expand: bool) -> dict[str, Any]:
    body = search_body(SearchParams(q=q, expand=expand))
    body["_source"] = body.pop("source")
    return {**body, "from": 0, "size": 20}


@dataclasses.dataclass(frozen=True)
class Calls:
    http: aiohttp.ClientSession
    api: str
    es: str
    names: Names

    async def _ok(self, response: aiohttp.ClientResponse) -> None:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.url}: HTTP {response.status}")

    async def _post(self, index: str, body: dict[str, Any]) -> None:
        async with self.http.post(f"{self.es}/{index}/_search", json=body) as r:
            await self._ok(r)

    async def expanded(self, n: int) -> None:
        await self._post(self.names.trials, direct_search(QUERIES[n % len(QUERIES)], True))

    async def plain(self, n: int) -> None:
        await self._post(self.names.trials, direct_search(QUERIES[n % len(QUERIES)], False))

    async def api_search(self, n: int) -> None:
        params = {"q": QUERIES[n % len(QUERIES)], "limit": "20"}
        async with self.http.get(f"{self.api}/api/v1/trials", params=params) as r:
            await self._ok(r)

    async def api_suggest(self, n: int) -> None:
        params = {"q": TYPED[n % len(TYPED)]}
        async with self.http.get(f"{self.api}/api/v1/suggest", params=params) as r:
            await self._ok(r)

    async def api_suggest_varied(self, n: int) -> None:
        typed = varied_typing()
        params = {"q": typed[n % len(typed)]}
        async with self.http.get(f"{self.api}/api/v1/suggest", params=params) as r:
            await self._ok(r)

    async def health(self, n: int) -> None:
        """The cheapest request the API answers: the floor under every other row's latency."""
        async with self.http.get(f"{self.api}/health") as r:
            await self._ok(r)

    async def es_suggest(self, n: int) -> None:
        await self._post(self.names.suggest, suggest_body(TYPED[n % len(TYPED)]))


async def measure(
    calls: dict[str, Request], args: argparse.Namespace, concurrency: int
) -> dict[str, Stats]:
    for call in calls.values():  # warm caches and connections
        await hammer(call, concurrency=concurrency, seconds=args.warmup)
    return await interleaved(
        calls, concurrency=concurrency, seconds=args.seconds, rounds=args.rounds
    )


def line(name: str, stats: Stats) -> str:
    return (
        f"{name:<22} {stats.throughput:>8.0f} req/s   p50 {stats.p50_ms:>7.1f} ms   "
        f"p99 {stats.p99_ms:>7.1f} ms"
    )


def report(args: argparse.Namespace, search: dict[str, Stats], suggest: dict[str, Stats]) -> None:
    print(f"\n{args.docs} documents, {args.seconds:.0f}s each in {args.rounds} rounds")
    for name, stats in {**search, **suggest}.items():
        print(line(name, stats))
    on, off = search["search, expanded"], search["search, not expanded"]
    mean = off.throughput / on.throughput  # closed loop: mean time = concurrency / throughput
    print(
        f"\nexpansion: mean time {mean:.2f}x, p50 {on.p50_ms / off.p50_ms:.2f}x, p99 "
        f"{on.p99_ms / off.p99_ms:.2f}x the search without it (target ≤ {TARGET_RATIO}x)"
    )
    p99, varied = suggest["suggest (API)"].p99_ms, suggest["suggest (API, varied)"].p99_ms
    floor = suggest["health (API floor)"].p99_ms
    print(
        f"/suggest p99 {p99:.1f} ms (typing the answer cache has: {len(TYPED)} starts), "
        f"{varied:.1f} ms ({len(varied_typing())} different starts, mostly not cached) at "
        f"concurrency {args.concurrency} (target ≤ {TARGET_P99_MS}); the API's floor "
        f"(/health) p99 {floor:.1f} ms"
    )


async def run(args: argparse.Namespace, log: IO[bytes]) -> None:
    settings = dataclasses.replace(Settings.from_env(), index_prefix=PREFIX)
    await load(settings, args.docs)
    port = free_port()
    api = await serve_ready(settings, port, log)
    try:
        connector = aiohttp.TCPConnector(limit=args.concurrency * 2)
        async with aiohttp.ClientSession(connector=connector) as http:
            calls = Calls(http, f"http://127.0.0.1:{port}", settings.es_hosts[0], Names(PREFIX))
            search = await measure(
                {
                    "search, expanded": calls.expanded,
                    "search, not expanded": calls.plain,
                    "search (API)": calls.api_search,
                },
                args,
                args.concurrency,
            )
            suggest = await measure(
                {
                    "suggest (API)": calls.api_suggest,
                    "suggest (API, varied)": calls.api_suggest_varied,
                    "suggest (direct)": calls.es_suggest,
                    "health (API floor)": calls.health,
                },
                args,
                args.concurrency,
            )
    finally:
        api.terminate()
        await api.wait()
        if not args.keep:
            es = make_client(settings)
            await es.indices.delete(index=f"{PREFIX}*", allow_no_indices=True)
            await es.close()
    report(args, search, suggest)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.service.crosslingual",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--docs", type=int, default=60_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the bench indices")
    args = parser.parse_args()
    with tempfile.TemporaryFile() as log:
        asyncio.run(run(args, log))


if __name__ == "__main__":
    main()
