"""Syncs that never go stale or pass off a partial read (issue 10), on the real node with the
fake registry: CRIS details read again within their maximum age, a "no data" detail failing
only its record, capped pages ending `partial`, and a parser change rewriting exactly the
documents it changes."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from elasticsearch.helpers import async_bulk, async_scan

from indexer.http import RegistryClient
from indexer.run import RunOptions, RunResult, run_source
from indexer.sources import icreat
from indexer.sources.base import Raw
from indexer.sources.icreat import IcreatSource
from testkit.registry import records
from tests.faults.evidence import fault, ran
from tests.faults.killed_run import start_icreat_index
from tests.indexer.conftest import FAST_HTTP, Env
from trials.model import Trial, doc_id, utc_iso

CRIS = len(records.cris_list_items())
ICREAT = len(records.icreat_records())
SAMPLE = "KCT0007888"  # the CRIS trial with a recorded detail


def _details(env: Env) -> int:
    return sum("/cris/detail" in r for r in env.state.requests)


async def _log(env: Env, run_id: str) -> dict[str, Any]:
    return dict((await env.es.get(index=env.names.sync_log, id=run_id))["_source"])


async def _age_details(env: Env, days: int) -> None:
    """Every stored CRIS detail as if read `days` ago (the clock moved on). This node has no
    `_update_by_query`: each document is updated."""
    then = utc_iso(datetime.now(UTC) - timedelta(days=days))
    await env.es.indices.refresh(index=env.names.trials)
    query = {"query": {"term": {"source": "cris"}}, "_source": False}
    actions = [
        {"_op_type": "update", "_index": hit["_index"], "_id": hit["_id"]}
        | {"doc": {"detail_read_at": then}}
        async for hit in async_scan(env.es, index=env.names.trials, query=query)
    ]
    await async_bulk(env.es, actions, refresh=True)


async def test_a_change_only_in_a_cris_detail_is_an_update_within_the_maximum_age(
    env: Env,
) -> None:
    key = doc_id("cris", SAMPLE)
    first = await env.run("cris")
    assert (first.counts.created, _details(env)) == (CRIS, CRIS)
    stored = (await env.doc(key))["_source"]
    assert stored["detail_read_at"] == stored["first_seen_at"]  # type: ignore[index]
    detail = env.state.cris_details[SAMPLE]
    detail.update(recruitment_status_en="Recruiting", recruitment_status_kr="모집중")
    detail["target_size"] = 120  # the list item shows none of it

    soon = await env.run("cris")  # read today: not read again yet
    assert (soon.counts.unchanged, _details(env)) == (CRIS, CRIS)
    assert (await env.doc(key))["_source"]["status"] == "not_yet_recruiting"  # type: ignore[index]

    await _age_details(env, 7)  # a week on, every detail is at its maximum age
    writes = await env.index_total()
    later = await env.run("cris")
    assert _details(env) == 2 * CRIS
    assert later.status == "completed", later.message
    assert (later.counts.updated, later.counts.unchanged) == (1, CRIS - 1)
    assert (await _log(env, later.run_id))["updated_ids"] == [key]
    after = (await env.doc(key))["_source"]
    assert (after["status"], after["target_size"]) == ("recruiting", 120)  # type: ignore[index]
    assert after["changed_at"] > stored["changed_at"]  # type: ignore[index,operator]
    # the others were read again: the write records when, and nothing else changes
    assert await env.index_total() == writes + CRIS
    other = (await env.doc(doc_id("cris", env.state.cris_items[0]["trial_id"])))["_source"]
    assert other["changed_at"] == other["first_seen_at"]  # type: ignore[index]
    assert other["detail_read_at"] > other["changed_at"]  # type: ignore[index,operator]
    assert other["last_change"] == "created"  # type: ignore[index]

    again = await env.run("cris")
    assert (again.counts.unchanged, _details(env)) == (CRIS, 2 * CRIS)


async def test_reading_details_again_keeps_within_the_budget_of_a_run(env: Env) -> None:
    await env.run("cris")
    await _age_details(env, 30)
    env.settings = dataclasses.replace(env.settings, cris_detail_rereads_per_run=100)
    first = await env.run("cris")
    assert (_details(env), first.status) == (CRIS + 100, "completed")
    assert first.message == (
        f"{CRIS - 100} detail(s) due to be read again were left for the next run "
        "(at most 100 a run: TRIALS_CRIS_DETAIL_REREADS_PER_RUN)"
    )
    second = await env.run("cris")  # the next 100: those read are no longer due
    assert _details(env) == CRIS + 200
    assert second.counts.unchanged == CRIS


async def test_a_no_data_detail_keeps_the_stored_trial_fails_and_is_read_again(
    env: Env,
) -> None:
    key = doc_id("cris", SAMPLE)
    await env.run("cris")
    env.state.cris_details[SAMPLE]["recruitment_status_en"] = "Recruiting"
    await _age_details(env, 8)
    stored = await env.doc(key)
    env.state.faults.detail_no_data = {SAMPLE}

    run = await env.run("cris")
    assert run.status == "partial"
    assert (run.counts.failed, run.counts.updated, run.counts.unchanged) == (1, 0, CRIS - 1)
    failed = [e for e in (await _log(env, run.run_id))["errors"] if e["kind"] == "failed"]
    assert failed == [
        {"kind": "failed", "reason": "detail: the portal answered no data (NODATA)", "ids": [key]}
    ]
    kept = await env.doc(key)
    assert kept["_version"] == stored["_version"]  # not written at all
    assert kept["_source"]["status"] == "not_yet_recruiting"  # type: ignore[index]

    injected = env.state.injected["detail_no_data"]
    retried = await env.run("cris")  # read again although the others are fresh now
    assert env.state.injected["detail_no_data"] == injected + 1
    assert (retried.status, retried.counts.failed) == ("partial", 1)

    env.state.faults.detail_no_data = set()
    fixed = await env.run("cris")
    fault(injected + 1, ran(run), then=f"after the portal answers: {ran(fixed)}", lost=0)
    assert (fixed.status, fixed.counts.updated) == ("completed", 1)
    assert (await env.doc(key))["_source"]["status"] == "recruiting"  # type: ignore[index]


async def test_a_new_trial_whose_detail_has_no_data_is_not_stored_without_it(env: Env) -> None:
    env.state.faults.detail_no_data = {SAMPLE}
    run = await env.run("cris")
    assert (run.status, run.counts.failed, run.counts.created) == ("partial", 1, CRIS - 1)
    assert not await env.es.exists(index=env.names.trials, id=doc_id("cris", SAMPLE))
    env.state.faults.detail_no_data = set()
    again = await env.run("cris")
    assert (again.status, again.counts.created) == ("completed", 1)
    assert (await env.doc(doc_id("cris", SAMPLE)))["_source"]["status"] == "not_yet_recruiting"  # type: ignore[index]


@pytest.mark.parametrize(("source", "page_size"), [("icreat", 500), ("cris", 50)])
async def test_capped_pages_end_partial_and_remove_nothing(
    env: Env, source: str, page_size: int
) -> None:
    total = {"icreat": ICREAT, "cris": CRIS}[source]
    await env.run(source)
    env.state.faults.page_cap = 10  # a data.go.kr development key
    run = await env.run(source, page_size=page_size)
    fault(env.state.injected["page_cap"], ran(run), lost=total - await _live(env, source))
    assert (run.status, run.counts.fetched, run.counts.unchanged) == ("partial", 10, 10)
    assert run.counts.removed == 0
    assert await _live(env, source) == total
    assert run.message == (
        f"asked for page 1 of {page_size} rows, the gateway served page 1 of 10 rows, short of "
        f"the {total} records the registry reports: it caps pages (a data.go.kr development "
        "key is served page 1 of 10 rows), so the read stopped there; read 10 records, none "
        "was marked removed"
    )
    assert len(env.state.requests) == 1 + (total + page_size - 1) // page_size + (
        total if source == "cris" else 0
    )  # one page, not the same page again and again


async def test_trials_index_exits_non_zero_on_a_capped_read(env: Env) -> None:
    env.state.faults.page_cap = 10
    child = await start_icreat_index(env, output=asyncio.subprocess.PIPE)
    out, err = await child.communicate()
    assert child.returncode == 1, out.decode() + err.decode()
    assert "icreat partial: asked for page 1 of 500 rows" in err.decode()
    assert "none was marked removed" in err.decode()


async def _live(env: Env, source: str) -> int:
    await env.es.indices.refresh(index=env.names.trials)
    query = {
        "bool": {
            "filter": [{"term": {"source": source}}],
            "must_not": [{"exists": {"field": "removed_at"}}],
        }
    }
    return int((await env.es.count(index=env.names.trials, query=query))["count"])


class FixedParser(IcreatSource):
    """iCReaT with a parser change that gives three tasks keywords: the next normaliser."""

    normalizer = IcreatSource.normalizer + 1
    affected = frozenset(r["과제번호"] for r in records.icreat_records()[10:13])

    def normalize(self, raw: Raw) -> Trial:
        trial = icreat.normalize(self.name, raw)
        if trial.registry_id in self.affected:
            trial.keywords = ["renormalised"]
        return trial


async def _run_with(env: Env, parser: type[IcreatSource]) -> RunResult:
    async with aiohttp.ClientSession() as session:
        client = RegistryClient("icreat", session, FAST_HTTP)
        source = parser(client, env.settings.icreat_url, env.settings.data_go_kr_key)
        return await run_source(
            env.es, env.settings, "icreat", RunOptions(http=FAST_HTTP), source=source
        )


async def test_a_parser_change_rewrites_exactly_the_documents_it_changes(env: Env) -> None:
    first = await env.run("icreat")
    assert (await _log(env, first.run_id))["normalizer"] == IcreatSource.normalizer
    keys = sorted(doc_id("icreat", i) for i in FixedParser.affected)
    before = {k: (await env.doc(k))["_source"] for k in keys}
    writes = await env.index_total()

    fixed = await _run_with(env, FixedParser)
    assert fixed.status == "completed", fixed.message
    c = fixed.counts
    assert (c.renormalized, c.unchanged, c.updated, c.created) == (3, ICREAT - 3, 0, 0)
    assert await env.index_total() == writes + 3  # exactly the documents that differ
    logged = await _log(env, fixed.run_id)
    assert (logged["counts"]["renormalized"], logged["normalizer"]) == (3, FixedParser.normalizer)
    assert logged["updated_ids"] == []  # not registry updates
    for key in keys:
        after = (await env.doc(key))["_source"]
        assert after["keywords"] == ["renormalised"]  # type: ignore[index]
        for kept in ("changed_at", "last_change", "first_seen_at", "content_hash"):
            assert after[kept] == before[key][kept]  # type: ignore[index]
        assert after["document_hash"] != before[key]["document_hash"]  # type: ignore[index]

    again = await _run_with(env, FixedParser)  # normaliser 2 is now the stored one
    assert (again.counts.renormalized, again.counts.unchanged) == (0, ICREAT)
    assert await env.index_total() == writes + 3

    back = await env.run("icreat")  # normaliser 1 again: the keywords go
    assert (back.counts.renormalized, back.counts.unchanged) == (3, ICREAT - 3)
    assert "keywords" not in (await env.doc(keys[0]))["_source"]  # type: ignore[operator]


async def test_a_new_normaliser_makes_an_incremental_registry_read_in_full(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer.sources.ctgov import CtgovSource

    await env.run("ctgov")
    env.state.requests.clear()
    await env.run("ctgov")
    assert "filter.advanced" in env.state.requests[0]  # changes only, as a rule
    gone = env.state.ctgov.pop(0)
    monkeypatch.setattr(CtgovSource, "normalizer", CtgovSource.normalizer + 1)
    env.state.requests.clear()
    run = await env.run("ctgov")
    assert "filter.advanced" not in env.state.requests[0]  # every study, to normalise again
    assert run.counts.removed == 1  # a full read: what it did not see is gone upstream
    assert (await _log(env, run.run_id))["full"] is True
    assert run.counts.unchanged == len(env.state.ctgov)
    nct = gone["protocolSection"]["identificationModule"]["nctId"]
    assert (await _log(env, run.run_id))["removed_ids"] == [doc_id("ctgov", nct)]
