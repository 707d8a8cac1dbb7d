"""A run killed after its `_bulk` reached the node, but before the answer came back, wrote
documents its sync-log document never counted (`test_kill_mid_bulk` kills it the same way).
The run that closes it counts them from the documents (their `last_run_id`), so the sync log
never under-reports what was created."""

from __future__ import annotations

from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault
from tests.faults.killed_run import kill_mid_bulk
from tests.faults.test_kill_mid_bulk import TOTAL
from tests.indexer.conftest import Env
from trials.indices import ensure_indices


async def _written_by(env: Env, run_id: str) -> set[str]:
    await env.es.indices.refresh(index=env.names.trials)
    found = await env.es.search(
        index=env.names.trials, query={"term": {"last_run_id": run_id}}, size=TOTAL, source=False
    )
    return {hit["_id"] for hit in found["hits"]["hits"]}


async def _trials(env: Env) -> int:
    await env.es.indices.refresh(index=env.names.trials)
    return int((await env.es.count(index=env.names.trials))["count"])


async def test_the_next_run_reports_what_a_run_killed_after_its_bulk_created(env: Env) -> None:
    env.state.icreat = GeneratedRows(TOTAL)
    await ensure_indices(env.es, env.settings)
    await kill_mid_bulk(env, lambda: _trials(env))
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
