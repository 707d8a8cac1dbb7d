"""Faults on a three-node cluster (one replica of every shard), each a SIGKILL: no clean
shutdown, as a crash or a pulled plug.

- A data node dies during a full sync: the run completes, or ends partial and the next run
  converges; the index holds exactly the registry's records (none lost, none twice).
- A node dies under API load on `trials serve` given every node's URL: the client sends the
  requests that failed on the dead node to the others, so no answer is a 5xx; p99 reported.
- The elected master dies: the others elect a new one and acknowledged writes resume.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions, RunResult, run_source
from localnode.cluster import LocalCluster
from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port
from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from testkit.served import wait_answering
from tests.cluster.drills import kill, master_name, member, names_of, percentile
from tests.cluster.evidence import measured
from tests.indexer.conftest import FAST_HTTP
from trials.indices import Names
from trials.settings import Settings

TOTAL = 8000  # 16 pages of 500
MID_WAY = 1500  # records written when the node is killed: a few pages in, most still to come


async def _count(es: AsyncElasticsearch, alias: str) -> int:
    await es.indices.refresh(index=alias)
    return int((await es.count(index=alias))["count"])


async def _primaries_by_node(es: AsyncElasticsearch, index: str) -> Counter[str]:
    shards = (await es.cat.shards(index=index, format="json")).body
    return Counter(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")


async def test_a_data_node_killed_during_a_full_sync_loses_no_record(
    healed: LocalCluster, on_cluster: tuple[Settings, AsyncElasticsearch]
) -> None:
    settings, es = on_cluster
    names = Names.from_settings(settings)
    master = await master_name(es)
    primaries = await _primaries_by_node(es, names.trials)
    victim = max((n for n in primaries if n != master), key=lambda n: primaries[n])
    state = RegistryState(icreat=GeneratedRows(TOTAL))
    state.faults.delay_s = 0.5  # about 10 s of pages: time to kill a node mid-way
    runner, base = await start_registry(state)
    env = child_env(
        ",".join(settings.es_hosts),
        settings.index_prefix,
        TRIALS_INDEX_SHARDS="3",
        TRIALS_INDEX_REPLICAS="1",
        TRIALS_ICREAT_URL=f"{base}/icreat",
        TRIALS_DATA_GO_KR_KEY=state.key,
    )
    began = time.monotonic()
    child = await asyncio.create_subprocess_exec(
        trials_executable(),
        *("index", "--source", "icreat", "--full", "--json"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        written = 0
        while written < MID_WAY and time.monotonic() - began < 90:
            await asyncio.sleep(0.1)
            written = await _count(es, names.trials)
        assert MID_WAY <= written < TOTAL, "the node must die while the sync is under way"
        await asyncio.to_thread(kill, member(healed, victim))
        out, err = await asyncio.wait_for(child.communicate(), 300)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        await runner.cleanup()
    sync_s = time.monotonic() - began
    first = json.loads(out)["sources"][0]
    assert first["status"] in ("completed", "partial"), err.decode()
    reruns: list[RunResult] = []
    while len(reruns) < 3 and (reruns[-1].status if reruns else first["status"]) != "completed":
        runner, base = await start_registry(RegistryState(icreat=GeneratedRows(TOTAL)))
        try:
            again = dataclasses.replace(
                settings, icreat_url=f"{base}/icreat", data_go_kr_key=state.key
            )
            reruns.append(await run_source(es, again, "icreat", RunOptions(http=FAST_HTTP)))
        finally:
            await runner.cleanup()
    final = await _count(es, names.trials)
    # each trial's "created" change, once: a batch retried after the kill finds the history
    # its first attempt wrote (409, not counted), never a second copy or a gap
    changes = await _count(es, names.history)
    measured(
        killed=victim,
        primaries_on_it=primaries[victim],
        written_before_kill=written,
        first_run=first["status"],
        first_counts={k: v for k, v in first["counts"].items() if v},
        sync_s=round(sync_s, 1),
        reruns=[r.status for r in reruns],
        indexed=final,
        registry=TOTAL,
        lost=TOTAL - final,
        history=changes,
    )
    assert not reruns or reruns[-1].status == "completed"
    assert final == TOTAL  # every registry record, once (the registry's ids are the _ids)
    assert changes == TOTAL
    found = await es.search(index=names.sync_log, query={"term": {"source": "icreat"}}, size=10)
    assert {h["_source"]["status"] for h in found["hits"]["hits"]} <= {"completed", "partial"}


async def _hammer(
    http: aiohttp.ClientSession, base: str, paths: list[str], stop: asyncio.Event, seen: list[Any]
) -> None:
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        began = time.monotonic()
        async with http.get(base + path) as response:
            await response.read()
        seen.append((began, time.monotonic() - began, path, response.status))
        await asyncio.sleep(0.005)


async def test_a_node_killed_under_api_load_gives_no_5xx(
    healed: LocalCluster, on_cluster: tuple[Settings, AsyncElasticsearch], tmp_path: Path
) -> None:
    settings, es = on_cluster
    demo = await run_source(es, settings, "demo", RunOptions(demo_count=300))
    assert demo.status == "completed", demo.message
    master = await master_name(es)
    victim = next(name for name in reversed(names_of(healed)) if name != master)
    port = free_port()
    env = child_env(",".join(settings.es_hosts), settings.index_prefix, TRIALS_API_PORT=str(port))
    log = (tmp_path / "serve.log").open("wb")  # read on failure; a pipe could fill and block
    server = await asyncio.create_subprocess_exec(
        trials_executable(), "serve", env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    paths = [
        "/api/v1/trials?q=위암",
        "/api/v1/trials?source=demo&phase=phase_3",
        "/api/v1/trials/recent",
        "/api/v1/trials/demo:DEMO-000007",
        "/api/v1/sync-runs",
        "/ready",
    ]
    seen: list[Any] = []
    stop = asyncio.Event()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            await wait_answering(http, f"{base}/ready", 30, server)
            load = [asyncio.create_task(_hammer(http, base, paths, stop, seen)) for _ in range(6)]
            try:
                await asyncio.sleep(4.0)
                killed_at = await asyncio.to_thread(kill, member(healed, victim))
                await asyncio.sleep(10.0)
            finally:
                stop.set()
                await asyncio.gather(*load)
    finally:
        server.terminate()
        await server.wait()
        log.close()
    before = [s for s in seen if killed_at - 3 <= s[0] < killed_at]  # warmed up
    after = [s for s in seen if s[0] >= killed_at]
    statuses = Counter(s[3] for s in seen)
    latency = [s[1] * 1000 for s in after]
    measured(
        killed=victim,
        requests=len(seen),
        before_kill=len(before),
        after_kill=len(after),
        statuses=dict(statuses),
        p50_ms_before=round(percentile([s[1] * 1000 for s in before], 0.5), 1),
        p99_ms_before=round(percentile([s[1] * 1000 for s in before], 0.99), 1),
        p50_ms_after=round(percentile(latency, 0.5), 1),
        p99_ms_after=round(percentile(latency, 0.99), 1),
        max_ms_after=round(max(latency), 1),
    )
    assert before, "load must run before the kill"
    assert len(after) > len(paths) * 6, "and after it"
    # No 5xx: what failed on the dead node was sent again to a live one.
    failed = [s for s in seen if s[3] != 200][:5]
    assert set(statuses) == {200}, (statuses, failed, (tmp_path / "serve.log").read_text()[-3000:])


async def _write_until(
    es: AsyncElasticsearch, index: str, stop: asyncio.Event, done: list[tuple[float, float, int]]
) -> None:
    """Index one document after another; (started, seconds, n) for each acknowledged one."""
    n = 0
    while not stop.is_set():
        n += 1
        began = time.monotonic()
        await es.index(index=index, id=str(n), document={"n": n})
        done.append((began, time.monotonic() - began, n))
        await asyncio.sleep(0.02)


async def test_the_elected_master_killed_a_new_one_is_elected_and_writes_resume(
    healed: LocalCluster, on_cluster: tuple[Settings, AsyncElasticsearch]
) -> None:
    settings, es = on_cluster
    index = f"{settings.index_prefix}writes"
    await es.indices.create(index=index, settings={"number_of_shards": 3, "number_of_replicas": 1})
    await es.cluster.health(index=index, wait_for_status="green", timeout="60s")
    old = await master_name(es)
    done: list[tuple[float, float, int]] = []
    stop = asyncio.Event()
    writer = asyncio.create_task(_write_until(es, index, stop, done))
    try:
        await asyncio.sleep(2.0)
        killed_at = await asyncio.to_thread(kill, member(healed, old))
        new = old
        while new == old:
            await asyncio.sleep(0.1)
            try:
                new = await master_name(es.options(request_timeout=2, max_retries=0))
            except Exception:  # no master yet, or the dead node asked: ask again
                continue
        elected_s = time.monotonic() - killed_at
        for _ in range(1200):  # writes resume within 2 minutes, or the test fails below
            if any(began > killed_at + elected_s for began, _, _ in done):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)
    finally:
        stop.set()
        await writer
    resumed = min(began + took for began, took, _ in done if began > killed_at) - killed_at
    slowest = max(took for _, took, _ in done)
    sync = await run_source(es, settings, "demo", RunOptions(demo_count=100))
    stored = await _count(es, index)
    measured(
        killed=old,
        elected=new,
        elected_after_s=round(elected_s, 2),
        first_write_after_kill_s=round(resumed, 2),
        slowest_write_s=round(slowest, 2),
        acknowledged=len(done),
        stored=stored,
        sync_after=sync.status,
    )
    assert new != old
    assert stored == len(done)  # every acknowledged write is there
    assert sync.status == "completed", sync.message
