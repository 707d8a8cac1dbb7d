"""`last_change`: every write that sets `changed_at` says what it was (created, updated or
restored), so the service can tell an update from a creation exactly."""

from __future__ import annotations

import copy
from typing import Any

import mappings
from indexer.reindex import reindex
from tests.indexer.conftest import Env
from trials.indices import ensure_indices
from trials.model import doc_id


async def _kinds(env: Env) -> dict[str, str | None]:
    await env.es.indices.refresh(index=env.names.trials)
    found = await env.es.search(index=env.names.trials, size=1000, source=["last_change"])
    return {h["_id"]: h["_source"].get("last_change") for h in found["hits"]["hits"]}


async def test_created_updated_restored_survive_tombstones_and_reindex(env: Env) -> None:
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    await env.run("icreat")
    assert set((await _kinds(env)).values()) == {"created"}

    changed = doc_id("icreat", rows[5]["과제번호"])
    rows[5]["연구기간"] = "48개월"
    gone = rows.pop(10)
    back = doc_id("icreat", gone["과제번호"])
    run = await env.run("icreat")
    assert (run.counts.updated, run.counts.removed) == (1, 1)
    tombstone = (await env.doc(back))["_source"]
    assert tombstone["removed_at"]  # type: ignore[index]
    assert tombstone["last_change"] == "created"  # type: ignore[index]  # a removal is no change

    rows.insert(10, gone)
    assert (await env.run("icreat")).counts.restored == 1
    expected = {key: "created" for key in await _kinds(env)}
    expected.update({changed: "updated", back: "restored"})
    assert await _kinds(env) == expected

    await reindex(env.es, env.settings)
    assert await _kinds(env) == expected


async def test_an_index_made_before_the_field_gets_it_without_a_reindex(env: Env) -> None:
    spec = mappings.load("trials")
    older = copy.deepcopy(spec.body)
    del older["mappings"]["properties"]["last_change"]
    index = f"{env.names.trials}-v{spec.version}-older"
    await env.es.indices.create(index=index, **older)
    await env.es.indices.put_alias(index=index, name=env.names.trials, is_write_index=True)
    await ensure_indices(env.es, env.settings)

    run = await env.run("demo", demo_count=20)
    assert (run.status, run.counts.created) == ("completed", 20)
    assert set((await _kinds(env)).values()) == {"created"}
