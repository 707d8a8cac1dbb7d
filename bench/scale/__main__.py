"""Scale benchmark (issue 13, item 4): generated ClinicalTrials.gov-shaped studies on a private
node and on a private three-node cluster (one at a time, stopped and removed afterwards, also
on failure), at each size: full sync against raw `_bulk`, unchanged resync against the full
sync, peak indexer RSS, index size per document, search p50/p99 through the API
(bench.scale.measure says how each is measured). Writes each node set's section of
bench/SCALE.md as soon as it is measured (a run on one node set leaves the others') and
prints it. The shared node is not used. Usage:
    .venv/bin/python -m bench.scale [--sizes 50000,500000] [--nodes 1,3]
A short run while developing: --sizes 5000,20000 --nodes 1
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from bench.cluster.render import merged
from bench.reliability import machine
from bench.scale.measure import Plan, SearchLoad, SizeRun, measure, warm_up
from bench.scale.render import NodeSet, markers, section
from testkit.elastic_node import private_cluster, private_node
from testkit.registry.server import RegistryState, start_registry
from trials.es import make_client
from trials.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "bench" / "SCALE.md"
MAX_NODES = 3  # 2 cores and 24 GiB: three nodes of 512 MiB heap at most


@contextmanager
def started(nodes: int) -> Iterator[tuple[str, ...]]:
    """The URLs of a private node (1) or cluster (more) of our own, stopped and removed after."""
    if nodes == 1:
        with private_node() as node:
            yield (node.url,)
    else:
        with private_cluster(nodes) as cluster:
            yield cluster.urls


async def on_nodes(urls: tuple[str, ...], args: argparse.Namespace) -> NodeSet:
    nodes = len(urls)
    settings = dataclasses.replace(
        Settings.from_env(),
        es_urls=urls,
        index_prefix=f"scale-{uuid.uuid4().hex[:6]}-",
        index_shards=nodes,
        index_replicas=1 if nodes > 1 else 0,  # a copy of every shard on another node
        es_timeout_s=120.0,
    )
    es = make_client(settings)
    state = RegistryState()
    runner, url = await start_registry(state)
    try:
        load = SearchLoad(args.concurrency, args.seconds, args.warmup)
        plan = Plan(settings, state, url, load)
        await warm_up(es, plan, args.warm)
        runs = []
        for size in args.sizes:
            run = await measure(es, plan, size)
            runs.append(run)
            print(_progress(nodes, run), flush=True)  # hours in: what is known so far
        return NodeSet(nodes, await _described(es, settings), runs)
    finally:
        await runner.cleanup()
        await es.close()


def _progress(nodes: int, r: SizeRun) -> str:
    return (
        f"{nodes} node(s), {r.size:,} studies: raw _bulk {r.raw_s:.1f} s, full sync "
        f"{r.full_s:.1f} s ({r.full_rss_kb // 1024} MiB peak), unchanged resync {r.resync_s:.1f} "
        f"s, {r.merged.primaries / r.merged.documents:,.0f} bytes/doc merged, search p50 "
        f"{r.search.stats.p50_ms:.1f} ms p99 {r.search.stats.p99_ms:.1f} ms"
    )


async def _described(es: AsyncElasticsearch, settings: Settings) -> str:
    info = await es.nodes.info(metric="jvm")
    heaps = {n["jvm"]["mem"]["heap_max_in_bytes"] for n in info["nodes"].values()}
    heap = " / ".join(f"{h / 2**30:.1f} GiB" for h in sorted(heaps))
    kind = "a private node" if len(info["nodes"]) == 1 else "a private cluster"
    shards = f"{settings.index_shards} primary shard{'s' if settings.index_shards > 1 else ''}"
    copies = f"{settings.index_replicas} replica each" if settings.index_replicas else "no replica"
    return f"{kind}, heap {heap} a node; indices of {shards}, {copies}"


def _numbers(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", type=_numbers, default=[50_000, 500_000])
    parser.add_argument("--nodes", type=_numbers, default=[1, 3])
    parser.add_argument(
        "--warm", type=int, default=2000, help="studies of an unmeasured first round on new nodes"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="search clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="search time per size")
    parser.add_argument("--warmup", type=float, default=10.0, help="search warm-up per size")
    args = parser.parse_args(argv)
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes: positive numbers of studies")
    if not args.nodes or not set(args.nodes) <= set(range(1, MAX_NODES + 1)):
        parser.error(f"--nodes: 1 to {MAX_NODES} on this kind of machine")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    command = " ".join(["python -m bench.scale", *argv])
    for nodes in args.nodes:  # one node set at a time: memory
        began, load = time.monotonic(), os.getloadavg()[0]
        with started(nodes) as urls:
            described = machine.describe(urls[0])
            node_set = asyncio.run(on_nodes(urls, args))
        took = (
            f"{_duration(time.monotonic() - began)} (1-minute load average {load:.1f} at the "
            f"start, {os.getloadavg()[0]:.1f} at the end)"
        )
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        text = section(node_set, described, stamp, command, took, args.warm)
        existing = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
        REPORT.write_text(merged(existing, text, *markers(nodes)), "utf-8")
        print(text)  # each node set's section as soon as it is measured: hours apart
        print(f"wrote {REPORT.relative_to(ROOT)}", flush=True)
    return 0


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
