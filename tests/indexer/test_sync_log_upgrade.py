"""A sync log made before the `renormalized` count and the `normalizer` field (same mapping
version) takes them in place: the index is `dynamic: strict`, so without them every run's
first write would be refused and no run could start."""

from __future__ import annotations

import copy

import mappings
from indexer.sources.demo import DemoSource
from tests.indexer.conftest import Env
from trials.indices import Names


async def test_an_existing_sync_log_gains_the_new_fields_and_runs_go_on(env: Env) -> None:
    names = Names.from_settings(env.settings)
    spec = copy.deepcopy(mappings.load("sync_log").body)
    del spec["mappings"]["properties"]["counts"]["properties"]["renormalized"]
    del spec["mappings"]["properties"]["normalizer"]
    old = f"{names.sync_log}-v{mappings.load('sync_log').version}-old"
    await env.es.indices.create(index=old, settings=spec["settings"], mappings=spec["mappings"])
    await env.es.indices.put_alias(index=old, name=names.sync_log, is_write_index=True)

    run = await env.run("demo")

    assert run.status == "completed", run.message
    found = await env.es.indices.get_mapping(index=old)
    properties = found[old]["mappings"]["properties"]
    assert properties["counts"]["properties"]["renormalized"] == {"type": "long"}
    assert properties["normalizer"] == {"type": "integer"}
    logged = (await env.es.get(index=names.sync_log, id=run.run_id))["_source"]
    assert (logged["counts"]["renormalized"], logged["normalizer"]) == (0, DemoSource.normalizer)
