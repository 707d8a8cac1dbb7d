"""The run record's life: started `running`, then ended by exactly one verb (complete, partial,
fail, cancel) whose one final write carries the status, message, finish time and duration.
Read back from the sync log on the real node."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import pytest

from indexer.launch import make_launcher
from indexer.run import RunOptions
from indexer.synclog import RunAlreadyEnded, RunRecord, SyncLog
from tests.indexer.conftest import FAST_HTTP, Env
from trials.indices import ensure_indices


async def _logged(env: Env, run_id: str) -> dict[str, Any]:
    return dict(await env.es.get(index=env.names.sync_log, id=run_id))


def _assert_ended(doc: dict[str, Any]) -> None:
    """A finish time after the start, and the duration between the two (to the millisecond)."""
    started = datetime.fromisoformat(doc["started_at"])
    finished = datetime.fromisoformat(doc["finished_at"])
    assert finished >= started
    assert abs(doc["duration_ms"] - (finished - started).total_seconds() * 1000) <= 1


async def _started(env: Env) -> RunRecord:
    """A run record as `run_source` starts one: its `running` document written."""
    await ensure_indices(env.es, env.settings)
    run = RunRecord.begin(SyncLog(env.es, env.names.sync_log), "demo", "cli", False)
    await run.save()
    return run


@pytest.mark.parametrize(
    ("verb", "status", "message"),
    [
        (lambda run: run.complete(), "completed", None),
        (lambda run: run.complete(["a note"]), "completed", "a note"),
        (lambda run: run.partial(["one", "two"]), "partial", "one; two"),
        (lambda run: run.fail("HTTP 500"), "failed", "HTTP 500"),
        (lambda run: run.cancel(), "cancelled", "cancelled before it finished"),
    ],
)
async def test_each_verb_ends_the_run_in_one_final_write(
    env: Env, verb: Any, status: str, message: str | None
) -> None:
    run = await _started(env)
    run.tally.add("created", "demo:1")
    await verb(run)
    await run.save()  # a heartbeat after the end writes nothing
    logged = await _logged(env, run.run_id)
    assert logged["_version"] == 2  # the start, then the one final write
    doc = logged["_source"]
    assert (doc["status"], doc.get("message")) == (status, message)
    assert doc["counts"]["created"] == 1  # the final write carries the counts as they end
    _assert_ended(doc)
    assert (run.status, run.message) == (status, message)
    with pytest.raises(RunAlreadyEnded):
        await run.fail("again")  # a run ends once
    assert (await _logged(env, run.run_id))["_version"] == 2


async def test_an_end_the_sync_log_cannot_take_is_returned_with_the_reason(env: Env) -> None:
    run = await _started(env)
    run.synclog = SyncLog(env.es, f"{env.settings.index_prefix}gone-sync-log")  # alias gone
    await run.fail("HTTP 500")  # not raised
    assert run.status == "failed"
    assert run.message == "HTTP 500; the sync log could not be updated (NotFoundError)"
    assert (await _logged(env, run.run_id))["_source"][
        "status"
    ] == "running"  # left for the next run


async def test_a_run_cancelled_mid_fetch_ends_cancelled(env: Env) -> None:
    await ensure_indices(env.es, env.settings)
    env.state.faults.delay_s = 0.2  # 15 pages of 10: the run is still fetching when cancelled
    task = asyncio.create_task(env.run("icreat", page_size=10, batch_size=10))
    running = None
    for _ in range(100):
        await asyncio.sleep(0.05)
        found = await env.es.search(index=env.names.sync_log, query={"match_all": {}})
        if found["hits"]["hits"]:
            running = found["hits"]["hits"][0]
            break
    assert running is not None, "the run never wrote its `running` document"
    assert running["_source"]["status"] == "running"
    await asyncio.sleep(0.3)  # a page or two in
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    logged = await _logged(env, running["_id"])
    doc = logged["_source"]
    assert (doc["status"], doc["message"]) == ("cancelled", "cancelled before it finished")
    assert doc["counts"]["fetched"] < len(env.state.icreat)
    _assert_ended(doc)
    assert not await env.es.exists(index=env.names.locks, id="icreat")  # released


async def test_a_failing_source_ends_failed_with_the_reason(env: Env) -> None:
    env.state.faults.status_500 = 100  # every retry fails: the source is down
    result = await env.run("icreat")
    expected = "icreat: HTTP 500 (gave up after 4 tries)"
    assert (result.status, result.message) == ("failed", expected)
    logged = await _logged(env, result.run_id)
    doc = logged["_source"]
    assert (doc["status"], doc["message"]) == ("failed", expected)
    assert [e["kind"] for e in doc["errors"]] == ["source"]
    _assert_ended(doc)
    assert doc["duration_ms"] == int(result.duration_s * 1000)


async def test_a_launched_run_cancelled_at_shutdown_ends_cancelled_and_is_no_error(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.state.faults.delay_s = 0.2  # still fetching when the service shuts down
    launch = make_launcher(env.settings, env.es, RunOptions(http=FAST_HTTP, page_size=10))
    (run_id,) = await launch(["icreat"], False)
    (task,) = [t for t in asyncio.all_tasks() if t.get_name() == "sync-icreat"]
    task.cancel()  # what the loop does to tasks left running at shutdown
    with pytest.raises(asyncio.CancelledError):
        await task
    doc = (await _logged(env, run_id))["_source"]
    assert doc["status"] == "cancelled"
    _assert_ended(doc)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
