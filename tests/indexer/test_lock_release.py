"""A run releases its lock however its heartbeat is timed: a renewal in flight when the run
ends must land before the release, or the release (conditional on the lock's sequence number)
fails and the lock stays until it expires, refusing the next run."""

from __future__ import annotations

from tests.indexer.conftest import Env
from trials.indices import ensure_indices


async def test_a_heartbeat_renewing_as_the_run_ends_never_keeps_the_lock(env: Env) -> None:
    await ensure_indices(env.es, env.settings)
    for _ in range(15):  # renewals back to back: the run ends during one, most times
        run = await env.run("demo", demo_count=20, heartbeat_s=0.001)
        assert run.status == "completed", run.message
        assert not await env.es.exists(index=env.names.locks, id="demo")
