"""Mapping v4 copies the searched text into `text_titles`, `text_subject` and `text_all`
(`service.search`). An index of mapping v3 has no such fields, so a word search finds nothing
there; `trials reindex` moves it to today's mapping, and the copies fill as the records are
written again."""

from __future__ import annotations

import copy
from typing import Any

import mappings
from indexer.reindex import reindex
from service.search import SearchParams, search_body
from testkit.registry import records
from tests.indexer.conftest import Env
from trials.model import doc_id

STUDIES = len(records.ctgov_studies())
COPIES = ("text_titles", "text_subject", "text_all")


def _v3_body() -> dict[str, Any]:
    """The trials index as mapping v3 made it: no copies of the searched text."""
    body = copy.deepcopy(mappings.load("trials").with_shards(1, 0))

    def uncopied(properties: dict[str, Any]) -> None:
        for spec in properties.values():
            spec.pop("copy_to", None)
            uncopied(spec.get("properties", {}))

    properties = body["mappings"]["properties"]
    for name in COPIES:
        del properties[name]
    uncopied(properties)
    body["mappings"]["_meta"]["version"] = 3
    return body


async def _found(env: Env, q: str) -> list[str]:
    await env.es.indices.refresh(index=env.names.trials)
    query = search_body(SearchParams(q=q, expand=False))["query"]
    found = await env.es.search(index=env.names.trials, query=query, size=STUDIES, source=False)
    return [hit["_id"] for hit in found["hits"]["hits"]]


async def test_trials_reindex_fills_the_search_fields_of_a_v3_index(env: Env) -> None:
    old = f"{env.names.trials}-v3-20260101000000000000"
    body = _v3_body()
    await env.es.indices.create(index=old, settings=body["settings"], mappings=body["mappings"])
    await env.es.indices.put_alias(index=old, name=env.names.trials, is_write_index=True)
    assert (await env.run("ctgov")).counts.created == STUDIES
    study = records.ctgov_studies()[0]["protocolSection"]["identificationModule"]
    title, trial = study["briefTitle"], doc_id("ctgov", study["nctId"])
    assert await _found(env, title) == []  # v3 has no copies to match

    result = await reindex(env.es, env.settings)

    assert (result.copied, result.failed, result.old_indices) == (STUDIES, 0, [old])
    assert trial in await _found(env, title)
