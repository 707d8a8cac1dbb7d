"""A run's recorded changes are searchable as soon as the run ends (`Sink.history_searchable`):
`trials history` or a feed read right after a run finds them, whatever the history index's
refresh schedule (here none at all, so only the run's own refresh can make them visible)."""

from __future__ import annotations

from tests.indexer.conftest import Env
from trials.indices import ensure_indices


async def test_the_changes_of_a_run_are_searchable_when_it_ends(env: Env) -> None:
    await ensure_indices(env.es, env.settings)
    await env.es.indices.put_settings(index=env.names.history, settings={"refresh_interval": -1})

    first = await env.run("icreat")
    found = await env.es.count(index=env.names.history)
    assert found["count"] == first.counts.history == first.counts.created > 0

    env.state.icreat[0]["연구기간"] = "7년"  # type: ignore[index]
    second = await env.run("icreat")
    assert second.counts.history == 1
    found = await env.es.count(index=env.names.history)
    assert found["count"] == first.counts.history + 1
