"""The registry record (`raw`) is kept in `_source`, not indexed, in an index compressed with
`best_compression` (mapping v3; `bench/rawshare.py` measured why). An index of mapping v2 (the
default codec) moves to it with `trials reindex`, records and all."""

from __future__ import annotations

import copy
from typing import Any

import mappings
from indexer.reindex import reindex
from testkit.registry import records
from tests.indexer.conftest import Env
from trials.indices import indices_behind
from trials.model import doc_id

STUDIES = len(records.ctgov_studies())


async def _codec(env: Env, index: str) -> str:
    found = await env.es.indices.get_settings(index=index, include_defaults=True)
    settings = found[index]
    return str(
        settings.get("settings", {}).get("index", {}).get("codec")
        or settings["defaults"]["index"]["codec"]
    )


def _v2_body() -> dict[str, Any]:
    """The trials index as mapping v2 made it: the default codec."""
    body = copy.deepcopy(mappings.load("trials").with_shards(1, 0))
    del body["settings"]["codec"]
    body["mappings"]["_meta"]["version"] = 2
    return body


async def test_a_new_trials_index_compresses_its_stored_records_hard(env: Env) -> None:
    await env.run("ctgov")
    (index,) = await indices_behind(env.es, env.names.trials)
    assert f"-v{mappings.load('trials').version}-" in index  # made by today's mapping
    assert await _codec(env, index) == "best_compression"
    study = env.state.ctgov[0]
    stored = await env.doc(
        doc_id("ctgov", study["protocolSection"]["identificationModule"]["nctId"])
    )
    assert stored["_source"]["raw"] == study  # type: ignore[index]
    mapping = await env.es.indices.get_mapping(index=index)
    assert mapping[index]["mappings"]["properties"]["raw"] == {"type": "object", "enabled": False}


async def test_trials_reindex_moves_a_v2_index_to_best_compression_with_every_record(
    env: Env,
) -> None:
    old = f"{env.names.trials}-v2-20260101000000000000"
    body = _v2_body()
    await env.es.indices.create(index=old, settings=body["settings"], mappings=body["mappings"])
    await env.es.indices.put_alias(index=old, name=env.names.trials, is_write_index=True)
    first = await env.run("ctgov")
    assert first.counts.created == STUDIES
    assert await indices_behind(env.es, env.names.trials) == [old]  # written to the v2 index
    assert await _codec(env, old) == "default"
    before = await env.es.search(index=env.names.trials, version=True, size=STUDIES)

    result = await reindex(env.es, env.settings)

    assert (result.copied, result.failed, result.old_indices) == (STUDIES, 0, [old])
    assert f"-v{mappings.load('trials').version}-" in result.new_index
    assert await _codec(env, result.new_index) == "best_compression"
    after = await env.es.search(index=env.names.trials, version=True, size=STUDIES)

    def by_id(found: Any) -> dict[str, tuple[int, dict[str, Any]]]:
        return {h["_id"]: (h["_version"], h["_source"]) for h in found["hits"]["hits"]}

    assert by_id(after) == by_id(before)  # raw included
    rerun = await env.run("ctgov", full=True)
    assert (rerun.counts.unchanged, rerun.counts.created, rerun.counts.updated) == (STUDIES, 0, 0)
