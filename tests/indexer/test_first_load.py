"""A run whose source has no document in the index (a first load) compares with nothing stored
without asking the node (`Sink.nothing_stored`); a source whose documents are all tombstoned
still has them, and they come back restored, not created."""

from __future__ import annotations

from typing import Any

from indexer.sink import Sink
from indexer.tally import Tally
from tests.indexer.conftest import Env


def _sink(env: Env) -> Sink:
    return Sink(env.es, env.names.trials, "probe", 1, "2026-01-01T00:00:00.000Z", Tally())


async def test_only_the_sources_own_documents_count_as_stored(env: Env) -> None:
    first = await env.run("icreat")
    assert first.counts.created == first.counts.fetched > 0
    sink = _sink(env)
    assert not await sink.holds_none_of("icreat")
    assert await sink.holds_none_of("cris")


async def test_a_source_whose_documents_are_all_removed_is_restored_not_created(
    env: Env,
) -> None:
    await env.run("icreat")
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    kept = list(rows)
    before = await env.doc(f"icreat:{kept[0]['과제번호']}")
    rows.clear()
    gone = await env.run("icreat")
    assert gone.counts.removed == len(kept)
    assert not await _sink(env).holds_none_of("icreat")  # tombstones are stored documents

    rows.extend(kept)
    back = await env.run("icreat")
    assert (back.counts.restored, back.counts.created) == (len(kept), 0)
    after = await env.doc(f"icreat:{kept[0]['과제번호']}")
    assert after["_source"]["first_seen_at"] == before["_source"]["first_seen_at"]  # type: ignore[index]
    assert after["_source"]["last_change"] == "restored"  # type: ignore[index]
