"""`SIGKILL` while a bulk request is in flight: a relay in front of the real node passes the
indexer's `_bulk` through and then withholds the node's answer (tests/faults/killed_run.py),
so the process dies after the node applied writes it never heard about (the hardest moment:
tests/indexer's killed-run test kills between pages). The next run converges: no duplicates,
the applied writes recognised as unchanged, the killed run closed as failed."""

from __future__ import annotations

from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault, ran
from tests.faults.killed_run import kill_mid_bulk
from tests.indexer.conftest import Env
from trials.indices import ensure_indices

TOTAL = 1500


async def _count(env: Env) -> int:
    await env.es.indices.refresh(index=env.names.trials)
    return int((await env.es.count(index=env.names.trials))["count"])


async def test_killed_during_a_bulk_request_the_next_run_converges(env: Env) -> None:
    env.state.icreat = GeneratedRows(TOTAL)
    await ensure_indices(env.es, env.settings)
    applied = await kill_mid_bulk(env, lambda: _count(env))
    assert 0 < applied < TOTAL

    run = await env.run("icreat")
    fault(
        1,  # one SIGKILL
        f"{applied} writes applied by the node that the killed process never heard about",
        then=f"next run {ran(run)}",
        lost=TOTAL - await _count(env),
    )
    assert run.status == "completed", run.message
    c = run.counts
    assert (c.fetched, c.created + c.unchanged) == (TOTAL, TOTAL)
    assert c.unchanged == applied  # the writes it never heard about are recognised
    assert (c.updated, c.failed, c.stale) == (0, 0, 0)
    assert await _count(env) == TOTAL  # each record exactly once
    found = await env.es.search(index=env.names.sync_log, query={"term": {"source": "icreat"}})
    statuses = sorted(h["_source"]["status"] for h in found["hits"]["hits"])
    assert statuses == ["completed", "failed"]  # the killed run closed by the next one
