"""The suggestion index follows the trials: built by the run that writes them, rewritten only
where something changed, entries no live trial has are deleted, two builds at once leave it
whole, and a failed build never fails the run."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch

from indexer import suggestions
from indexer.tally import Counts
from tests.indexer.conftest import Env

ONE_TRIAL_INSTITUTION = "강남세브란스병원"  # lead institution of exactly one recorded iCReaT task


async def entries(es: AsyncElasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    await es.indices.refresh(index=alias)
    found = await es.search(index=alias, size=10_000, query={"match_all": {}})
    return {hit["_source"]["text"]: hit["_source"] for hit in found["hits"]["hits"]}


async def test_the_run_that_writes_trials_builds_their_suggestions(env: Env) -> None:
    await env.run("icreat")
    stored = await entries(env.es, env.names.suggest)
    assert stored["고혈압"]["concept"] == "hypertension"  # iCReaT titles name it
    assert stored["Hypertension"]["ko"] == "고혈압"  # … and its English entry
    assert stored["서울대학교병원"] == {
        **stored["서울대학교병원"],
        "kind": "institution",
        "count": 15,  # the recorded tasks led by it
    }
    assert "ㄱㅎㅇ" in stored["고혈압"]["chosung"]


async def test_a_rebuild_with_nothing_new_writes_nothing(env: Env) -> None:
    await env.run("icreat")
    writes = await index_writes(env)
    assert await suggestions.rebuild(env.es, env.names) == 0
    assert await index_writes(env) == writes


async def test_an_entry_no_live_trial_has_is_deleted(env: Env) -> None:
    await env.run("icreat")
    assert ONE_TRIAL_INSTITUTION in await entries(env.es, env.names.suggest)
    kept = [r for r in env.state.icreat if r["연구책임기관"] != ONE_TRIAL_INSTITUTION]  # type: ignore[union-attr]
    env.state.icreat = kept
    run = await env.run("icreat")
    assert run.counts.removed == 1
    assert ONE_TRIAL_INSTITUTION not in await entries(env.es, env.names.suggest)


async def test_builds_at_once_drop_what_is_stale_and_keep_the_rest(env: Env) -> None:
    await env.run("icreat")
    expected = await entries(env.es, env.names.suggest)
    stale = {"text": "없어진 병원", "kind": "institution", "count": 1, "keys": [], "chosung": []}
    await env.es.index(index=env.names.suggest, id="stale", document=stale, refresh=True)
    changed = await asyncio.gather(*(suggestions.rebuild(env.es, env.names) for _ in range(3)))
    assert all(n == 1 for n in changed)  # each saw the stale entry; one deleted it
    assert await entries(env.es, env.names.suggest) == expected


async def test_a_failed_build_never_fails_the_run(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def refused(*_: object) -> int:
        raise RuntimeError("node refused the suggestions")

    monkeypatch.setattr(suggestions, "rebuild", refused)
    with caplog.at_level(logging.ERROR, logger="indexer.suggestions"):
        run = await env.run("icreat")
    assert run.status == "completed"
    assert "suggestions were not rebuilt" in caplog.text


def test_only_a_run_that_wrote_rebuilds() -> None:
    assert not suggestions.wrote(Counts(fetched=5, unchanged=5))
    for written in ("created", "updated", "removed", "restored", "renormalized"):
        assert suggestions.wrote(Counts(**{written: 1})), written


async def index_writes(env: Env) -> int:
    stats = await env.es.indices.stats(index=env.names.suggest, metric="indexing")
    return int(sum(i["primaries"]["indexing"]["index_total"] for i in stats["indices"].values()))
