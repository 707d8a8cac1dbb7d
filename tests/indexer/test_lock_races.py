"""A source's lock changing hands under a run or a taker: released between a taker's create and
its read, deleted under a running run, runs launched all at once while others end. Each ends
in the lock acquired or a clean refusal (`SyncAlreadyRunning`), never in a backend error."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from indexer.launch import make_launcher
from indexer.lock import SourceLock
from indexer.run import RunOptions
from tests.indexer.conftest import FAST_HTTP, Env
from trials.indices import ensure_indices
from trials.launcher import SOURCE_NAMES, SyncAlreadyRunning

ROUNDS = 20


async def test_a_lock_released_while_being_taken_is_taken_or_refused(env: Env) -> None:
    await ensure_indices(env.es, env.settings)
    outcomes = []
    for n in range(ROUNDS):
        holder = SourceLock(env.es, env.names.locks, "cris", f"holder-{n}", timedelta(minutes=1))
        await holder.acquire()
        taker = SourceLock(env.es, env.names.locks, "cris", f"taker-{n}", timedelta(minutes=1))
        taken, released = await asyncio.gather(
            taker.acquire(), holder.release(), return_exceptions=True
        )
        assert released is True
        if isinstance(taken, SyncAlreadyRunning):
            outcomes.append("refused")
            continue
        assert taken is None, f"round {n}: {taken!r}"
        outcomes.append("taken")
        assert await taker.release()
    assert "taken" in outcomes


async def test_a_run_whose_lock_is_deleted_under_it_completes_and_says_so(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    await ensure_indices(env.es, env.settings)
    env.state.faults.delay_s = 0.1  # 15 pages of 10: a run of about 1.5 s
    caplog.set_level(logging.WARNING, logger="indexer")
    task = asyncio.create_task(env.run("icreat", page_size=10, batch_size=10, heartbeat_s=0.1))
    for _ in range(100):
        await asyncio.sleep(0.02)
        if await env.es.exists(index=env.names.locks, id="icreat"):
            break
    await env.es.delete(index=env.names.locks, id="icreat", refresh=True)
    result = await task
    assert (result.status, result.counts.created) == ("completed", 145)
    lost = [r.getMessage() for r in caplog.records if r.name.startswith("indexer")]
    assert sum("lost the lock" in m for m in lost) == 1, lost  # said once, not every beat
    assert any("no longer ours at release" in m for m in lost), lost


async def test_all_sources_launched_at_once_again_and_again(env: Env) -> None:
    """The API's launcher under repeated concurrent starts, while earlier runs end."""
    launch = make_launcher(env.settings, env.es, RunOptions(http=FAST_HTTP, demo_count=50))
    started: list[str] = []
    for _ in range(4):
        results = await asyncio.gather(
            *(launch([source], False) for source in SOURCE_NAMES for _ in range(3)),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                assert isinstance(result, SyncAlreadyRunning), repr(result)
            else:
                started.extend(result)
    assert len(started) >= len(SOURCE_NAMES)
    for _ in range(200):
        await env.es.indices.refresh(index=env.names.sync_log)
        found = await env.es.search(
            index=env.names.sync_log, query={"ids": {"values": started}}, size=len(started)
        )
        statuses = [h["_source"]["status"] for h in found["hits"]["hits"]]
        if "running" not in statuses:
            break
        await asyncio.sleep(0.1)
    assert statuses == ["completed"] * len(started)
