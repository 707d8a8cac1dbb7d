"""Versions, locks and crashes: a stale writer gets 409, two runs of a source never overlap, a
dead run is closed by the next one, and a run killed mid-way converges on rerun."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta

import pytest

from indexer.lock import SourceLock
from indexer.sink import Pending, Sink
from indexer.sources.icreat import normalize
from indexer.tally import Tally
from testkit.children import child_env
from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import Env
from trials.indices import ensure_indices
from trials.launcher import SyncAlreadyRunning
from trials.model import utc_iso


async def test_an_older_version_write_gets_409_and_is_counted_stale(env: Env) -> None:
    await env.run("icreat")
    raw = dict(env.state.icreat[0])  # type: ignore[index]
    key = f"icreat:{raw['과제번호']}"
    stored = await env.doc(key)
    raw["연구기간"] = "99년"  # what a slow writer that started earlier would write

    tally = Tally()
    older = int(stored["_version"]) - 1  # type: ignore[call-overload]
    sink = Sink(env.es, env.names.trials, "slow-run", older, utc_iso(datetime.now(UTC)), tally)
    await sink.write([Pending(normalize("icreat", raw), None)])

    after = await env.doc(key)
    kept = after["_source"] == stored["_source"]
    counted = {name: n for name, n in tally.counts.as_dict().items() if n}
    seen = f"counted {counted}; errors {list(tally.errors)}; newer data kept: {kept}"
    fault(1, seen, lost=0 if kept else 1)  # one write with the older version
    assert (tally.counts.stale, tally.counts.updated, tally.counts.failed) == (1, 0, 0)
    assert tally.errors == {("stale", "a newer version is stored (409)"): [key]}
    assert after["_source"] == stored["_source"]  # newer data kept
    assert after["_version"] == stored["_version"]


async def test_versions_grow_from_run_to_run(env: Env) -> None:
    await env.run("icreat")
    first = await env.doc("icreat:C100001")
    env.state.icreat[0]["연구기간"] = "2년"  # type: ignore[index]
    await env.run("icreat")
    second = await env.doc("icreat:C100001")
    assert int(second["_version"]) > int(first["_version"])  # type: ignore[call-overload]


async def test_a_second_run_of_the_same_source_is_refused(env: Env) -> None:
    await env.run("demo")  # creates the indices
    held = SourceLock(env.es, env.names.locks, "icreat", "other-run", timedelta(minutes=5))
    await held.acquire()
    try:
        with pytest.raises(SyncAlreadyRunning, match="icreat") as refused:
            await env.run("icreat")
        requests = len(env.state.requests)
        cris = await env.run("cris")
        seen = f"refused: {refused.value}; {requests} registry requests; cris {ran(cris)}"
        fault(1, seen)  # one run while the lock is held
        assert requests == 0
        assert cris.status == "completed"  # other sources are not blocked
    finally:
        await held.release()
    assert (await env.run("icreat")).status == "completed"


async def _plant_lock(env: Env, owner: str, expires_at: datetime) -> None:
    body = {"owner": owner, "run_id": "ghost", "acquired_at": utc_iso(expires_at)}
    body["expires_at"] = utc_iso(expires_at)
    await env.es.index(index=env.names.locks, id="icreat", document=body, refresh=True)


async def test_an_expired_lock_is_taken_over(env: Env) -> None:
    await env.run("demo")
    past = datetime.now(UTC) - timedelta(seconds=1)
    await _plant_lock(env, "elsewhere:1:ghost", past)
    run = await env.run("icreat")
    fault(1, ran(run))  # one expired lock planted
    assert run.status == "completed"


async def test_a_lock_of_a_dead_process_on_this_host_is_taken_over(env: Env) -> None:
    await env.run("demo")
    dead = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await dead.wait()
    future = datetime.now(UTC) + timedelta(hours=1)
    await _plant_lock(env, f"{socket.gethostname()}:{dead.pid}:ghost", future)
    run = await env.run("icreat")
    fault(1, ran(run))  # one lock of a dead process planted
    assert run.status == "completed"


async def test_a_dead_run_is_closed_as_failed_by_the_next(env: Env) -> None:
    await env.run("demo")
    old = utc_iso(datetime.now(UTC) - timedelta(hours=2))
    ghost = {"run_id": "icreat-ghost", "source": "icreat", "trigger": "cli"}
    ghost.update(status="running", started_at=old, heartbeat_at=old)
    await env.es.index(index=env.names.sync_log, id="icreat-ghost", document=ghost, refresh=True)

    run = await env.run("icreat")
    closed = (await env.es.get(index=env.names.sync_log, id="icreat-ghost"))["_source"]
    seen = f"ghost run {closed['status']}: {closed.get('message')}; then {ran(run)}"
    fault(1, seen)  # one sync-log document left `running`
    assert closed["status"] == "failed"
    assert closed["message"] == f"run died (last heartbeat {old}); closed by {run.run_id}"
    assert closed["finished_at"] >= old


async def test_a_killed_run_converges_on_rerun_without_duplicates(env: Env) -> None:
    total = 2000
    env.state.icreat = GeneratedRows(total)
    env.state.faults.delay_s = 0.4  # 4 pages of 500: time to kill the process mid-run
    environment = child_env(
        ",".join(env.settings.es_hosts),
        env.settings.index_prefix,
        TRIALS_ICREAT_URL=env.settings.icreat_url,
        TRIALS_DATA_GO_KR_KEY=env.settings.data_go_kr_key,
    )
    await env.run("demo")  # indices exist before the child starts
    code = "import sys; from cli import main; sys.exit(main())"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-c", code, "index", "--source", "icreat"),
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            await asyncio.sleep(0.1)
            if await env.count("icreat") > 0:
                break
        written = await env.count("icreat")
        assert 0 < written < total, "the child must be killed mid-run"
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()

    env.state.faults.delay_s = 0.0
    run = await env.run("icreat")
    stored = await env.count("icreat")
    seen = f"{written} records written before the kill"
    fault(1, seen, then=f"next run {ran(run)}", lost=total - stored)  # one SIGKILL
    assert run.status == "completed", run.message
    assert run.counts.fetched == total
    assert run.counts.created + run.counts.unchanged == total
    assert run.counts.unchanged >= written
    assert await env.count("icreat") == total  # each record exactly once
    found = await env.es.search(
        index=env.names.sync_log,
        query={"bool": {"filter": [{"term": {"source": "icreat"}}]}},
        size=10,
    )
    statuses = sorted(h["_source"]["status"] for h in found["hits"]["hits"])
    assert statuses == ["completed", "failed"]  # the killed run closed, none left running


async def test_a_clock_behind_the_last_run_still_writes_newer_versions(env: Env) -> None:
    await env.run("icreat")
    first = await env.doc("icreat:C100001")
    future = utc_iso(datetime.now(UTC) + timedelta(hours=1))  # a run from a clock ahead of ours
    ahead = {"run_id": "icreat-ahead", "source": "icreat", "trigger": "cli", "status": "completed"}
    ahead.update(started_at=future, finished_at=future)
    await env.es.index(index=env.names.sync_log, id="icreat-ahead", document=ahead, refresh=True)
    env.state.icreat[0]["연구기간"] = "9년"  # type: ignore[index]
    run = await env.run("icreat")
    second = await env.doc("icreat:C100001")
    fault(1, f"{ran(run)}; version {first['_version']} → {second['_version']}")
    assert (run.counts.updated, run.counts.stale) == (1, 0)
    expected = int(datetime.fromisoformat(future).timestamp() * 1000) + 1
    assert second["_version"] == expected > first["_version"]  # type: ignore[operator]


async def test_heartbeat_keeps_the_log_and_the_lock_fresh(env: Env) -> None:
    await ensure_indices(env.es, env.settings)
    env.state.faults.delay_s = 0.2  # 15 pages of 10: a run of about 3 s
    task = asyncio.create_task(env.run("icreat", page_size=10, batch_size=10, heartbeat_s=0.1))
    try:
        running = None
        for _ in range(40):  # until a heartbeat has carried progress into the log
            await asyncio.sleep(0.05)
            found = await env.es.search(
                index=env.names.sync_log, query={"term": {"status": "running"}}
            )
            hits = found["hits"]["hits"]
            if hits and hits[0]["_source"]["counts"]["fetched"] > 0:
                running = hits[0]["_source"]
                break
        assert running is not None, "no heartbeat with progress while the run was going"
        assert running["heartbeat_at"] > running["started_at"]
        lock = (await env.es.get(index=env.names.locks, id="icreat"))["_source"]
        assert lock["run_id"] == running["run_id"]
        assert lock["acquired_at"] > running["started_at"]  # renewed since it was taken
    finally:
        result = await task
    assert result.status == "completed"
    assert not await env.es.exists(index=env.names.locks, id="icreat")  # released
