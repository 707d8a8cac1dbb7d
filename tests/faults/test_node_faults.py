"""The node goes away under a running sync and under API load, on a private node (its own
port and data; the shared node is never stopped). A sync cut off by the node ends failed with
the reason, loses nothing it had written, and the next run converges to exactly the registry's
content; the API answers 503 problems with Retry-After while the node is down, never crashes,
and answers normally again without a restart."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions, run_source
from service.app import create_app
from testkit.children import child_env, trials_executable
from testkit.elastic_node import private_node
from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import FAST_HTTP
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings

TOTAL = 3000


@pytest.fixture(scope="module")
def node() -> Iterator[Any]:
    with private_node() as started:
        yield started


@pytest.fixture
async def world(
    node: Any, settings: Settings
) -> AsyncIterator[tuple[Settings, AsyncElasticsearch]]:
    own = dataclasses.replace(
        settings, es_urls=(node.url,), index_prefix=f"faults-{os.getpid()}-", es_timeout_s=5.0
    )
    es = make_client(own)
    try:
        yield own, es
    finally:
        if node.running_pid() is None:
            await asyncio.to_thread(node.start)
        await es.indices.delete(
            index=f"{own.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
        await es.close()


async def _count(es: AsyncElasticsearch, names: Names) -> int:
    try:
        await es.indices.refresh(index=names.trials)
        return int((await es.count(index=names.trials))["count"])
    except Exception:  # not created yet
        return 0


async def _wait_green_enough(es: AsyncElasticsearch, names: Names) -> None:
    await es.options(request_timeout=60).cluster.health(
        index=names.trials, wait_for_status="yellow", timeout="60s"
    )


async def test_node_stopped_mid_sync_then_the_next_run_converges(
    node: Any, world: tuple[Settings, AsyncElasticsearch]
) -> None:
    settings, es = world
    names = Names.from_settings(settings)
    state = RegistryState(icreat=GeneratedRows(TOTAL))
    state.faults.delay_s = 1.0  # 6 pages of 500: about 6 s, time to stop the node mid-way
    runner, base = await start_registry(state)
    env = child_env(
        node.url,
        settings.index_prefix,
        TRIALS_ES_TIMEOUT="5",
        TRIALS_ICREAT_URL=f"{base}/icreat",
        TRIALS_DATA_GO_KR_KEY=state.key,
    )
    child = await asyncio.create_subprocess_exec(
        trials_executable(),
        *("index", "--source", "icreat"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        written = 0
        for _ in range(300):
            await asyncio.sleep(0.05)
            written = await _count(es, names)
            if written > 0:
                break
        assert 0 < written < TOTAL, "the node must stop while the sync is under way"
        await asyncio.to_thread(node.stop)
        out, err = await asyncio.wait_for(child.communicate(), 120)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        await runner.cleanup()
    stderr = err.decode()
    assert child.returncode == 1, stderr
    # it ran (and wrote): reported as a failed run with its reason, not as "not run"
    assert "trials: icreat failed: " in stderr, stderr
    assert "the sync log could not be updated" in stderr
    assert "Connection" in stderr  # the reason: the node went away
    assert out.decode().splitlines()[1].split()[:2] == ["icreat", "failed"]  # summary row

    await asyncio.to_thread(node.start)
    await _wait_green_enough(es, names)
    kept = await _count(es, names)
    assert kept >= written  # every write the node acknowledged survived the stop

    runner, base = await start_registry(RegistryState(icreat=GeneratedRows(TOTAL)))
    try:
        again = dataclasses.replace(settings, icreat_url=f"{base}/icreat", data_go_kr_key=state.key)
        run = await run_source(es, again, "icreat", RunOptions(http=FAST_HTTP))
    finally:
        await runner.cleanup()
    final = await _count(es, names)
    fault(
        1,  # one stop
        f"{written} records written before the stop; CLI exit {child.returncode}: "
        f"{stderr.strip().splitlines()[-1]}",
        then=f"after the restart {kept} records kept; next run {ran(run)}",
        lost=TOTAL - final,
    )
    assert run.status == "completed", run.message
    c = run.counts
    assert (c.fetched, c.created + c.unchanged, c.unchanged) == (TOTAL, TOTAL, kept)
    assert (c.updated, c.failed, c.stale, c.removed) == (0, 0, 0, 0)
    assert await _count(es, names) == TOTAL  # exactly the registry's content, once each
    found = await es.search(index=names.sync_log, query={"term": {"source": "icreat"}}, size=10)
    runs = {h["_source"]["run_id"]: h["_source"] for h in found["hits"]["hits"]}
    cut = [r for rid, r in runs.items() if rid != run.run_id]
    assert len(cut) == 1
    assert cut[0]["status"] == "failed"  # closed, with why, never left `running`
    assert cut[0]["message"]


async def _hammer(
    client: TestClient[Any, Any], paths: list[str], stop: asyncio.Event, seen: list[Any]
) -> None:
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        response = await client.get(path)
        await response.read()
        seen.append(
            (
                time.monotonic(),
                path,
                response.status,
                response.content_type,
                response.headers.get("Retry-After"),
            )
        )
        await asyncio.sleep(0.01)


async def test_the_api_rides_out_a_node_restart_under_load(
    node: Any, world: tuple[Settings, AsyncElasticsearch]
) -> None:
    settings, es = world
    demo = await run_source(es, settings, "demo", RunOptions(demo_count=200))
    assert demo.status == "completed"
    paths = [
        "/api/v1/trials?q=위암",
        "/api/v1/trials?source=demo&phase=phase_3",
        "/api/v1/trials/recent",
        "/api/v1/trials/demo:DEMO-000007",
        "/api/v1/sync-runs",
        "/ready",
    ]
    app = create_app(settings)  # its own client, as `trials serve` has
    seen: list[Any] = []
    stop = asyncio.Event()
    async with TestClient(TestServer(app)) as client:
        load = [asyncio.create_task(_hammer(client, paths, stop, seen)) for _ in range(6)]
        try:
            await asyncio.sleep(1.0)
            down_at = time.monotonic()
            await asyncio.to_thread(node.stop)
            await asyncio.sleep(2.0)
            await asyncio.to_thread(node.start)
            up_at = time.monotonic()
            deadline = up_at + 60
            while time.monotonic() < deadline:
                recent = [s for s in seen[-30:] if s[0] > up_at]
                if len(recent) == 30 and all(s[2] == 200 for s in recent):
                    break
                await asyncio.sleep(0.5)
        finally:
            stop.set()
            await asyncio.gather(*load)
        assert (await client.get("/health")).status == 200  # the same app, never restarted
        assert client.app is app
    statuses = Counter(s[2] for s in seen)
    unavailable = [s for s in seen if s[2] == 503]
    problems = [s[3] == "application/problem+json" and int(s[4] or 0) > 0 for s in unavailable]
    tail = Counter(s[2] for s in seen[-30:])
    fault(
        1,  # one stop and start
        f"answers by status {dict(statuses)}; {sum(problems)} of the {len(unavailable)} 503s "
        "problems with Retry-After",
        then=f"last 30 answers by status {dict(tail)}, from the same app instance",
    )
    assert set(statuses) <= {200, 503}, statuses
    assert unavailable, "the node was down: some answers must have been 503"
    assert all(problems)
    assert any(s[2] == 200 and s[0] < down_at for s in seen)
    assert set(tail) == {200}, tail  # normal again
