"""A run killed after its `_bulk` reached the node, but before the answer came back, wrote
documents its sync-log document never counted (`test_kill_mid_bulk` kills it the same way).
The run that closes it counts them from the documents (their `last_run_id`), so the sync log
never under-reports what was created."""

from __future__ import annotations

import asyncio
import signal

from testkit.children import child_env, trials_executable
from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault
from tests.faults.test_kill_mid_bulk import TOTAL, StallingRelay
from tests.indexer.conftest import Env
from trials.indices import ensure_indices


async def _written_by(env: Env, run_id: str) -> set[str]:
    await env.es.indices.refresh(index=env.names.trials)
    found = await env.es.search(
        index=env.names.trials, query={"term": {"last_run_id": run_id}}, size=TOTAL, source=False
    )
    return {hit["_id"] for hit in found["hits"]["hits"]}


async def _kill_mid_bulk(env: Env) -> None:
    """Start `trials index --source icreat` through a relay that withholds the node's answers
    once a `_bulk` went through; SIGKILL it when the node has applied what it was sent."""
    relay = StallingRelay(env.settings.es_hosts[0])
    await relay.start()
    environment = child_env(
        relay.url,
        env.settings.index_prefix,
        TRIALS_ICREAT_URL=env.settings.icreat_url,
        TRIALS_DATA_GO_KR_KEY=env.settings.data_go_kr_key,
    )
    child = await asyncio.create_subprocess_exec(
        trials_executable(),
        *("index", "--source", "icreat"),
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.wait_for(relay.bulk_sent.wait(), 60)
        applied, previous = 0, -1
        for _ in range(100):
            await asyncio.sleep(0.3)
            await env.es.indices.refresh(index=env.names.trials)
            applied, previous = int((await env.es.count(index=env.names.trials))["count"]), applied
            if applied and applied == previous:
                break
        assert child.returncode is None
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
        await relay.close()


async def test_the_next_run_reports_what_a_run_killed_after_its_bulk_created(env: Env) -> None:
    env.state.icreat = GeneratedRows(TOTAL)
    await ensure_indices(env.es, env.settings)
    await _kill_mid_bulk(env)
    found = await env.es.search(index=env.names.sync_log, query={"term": {"source": "icreat"}})
    (dead,) = [hit["_source"] for hit in found["hits"]["hits"]]
    assert dead["status"] == "running"
    written = await _written_by(env, dead["run_id"])
    assert 0 < len(written) < TOTAL
    assert dead["counts"]["created"] < len(written)  # its log missed writes it never heard of

    run = await env.run("icreat")
    closed = (await env.es.get(index=env.names.sync_log, id=dead["run_id"]))["_source"]
    fault(
        1,  # one SIGKILL
        f"{len(written)} documents written by the killed run; its sync log closed "
        f"{closed['status']} with {closed['counts']['created']} created",
        then=f"next run {run.status}: {run.counts.unchanged} unchanged",
        lost=TOTAL - await env.count("icreat"),
    )
    assert closed["status"] == "failed"
    assert closed["counts"]["created"] == len(written)
    assert set(closed["created_ids"]) == written
    assert closed["counts"]["fetched"] >= len(written)
    assert closed["message"].endswith(
        f"closed by {run.run_id}; its documents show {len(written)} created"
    )
    assert (run.counts.unchanged, run.counts.created) == (len(written), TOTAL - len(written))
