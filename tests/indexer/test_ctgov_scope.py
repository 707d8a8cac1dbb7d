"""ClinicalTrials.gov's scope: the whole registry when `TRIALS_CTGOV_QUERY` is empty, the Korea
subset by default; pages of 1,000 (tokens followed at any size); incremental runs read only the
studies updated since the last completed run, whichever the scope. The fake registry filters
by `filter.advanced`'s date range as the API does, so the counts below prove what was asked."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest

from testkit.children import child_env, trials_executable
from testkit.registry import records
from testkit.registry.server import RegistryState, start_registry
from tests.indexer.conftest import Env
from trials.settings import DEFAULT_CTGOV_QUERY

STUDIES = len(records.ctgov_studies())
SCOPES = {"whole registry": "", "korea subset": DEFAULT_CTGOV_QUERY}


def _params(request: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request).query, keep_blank_values=True))


def _posted(study: dict[str, Any]) -> str:
    return str(study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"])


def _update(study: dict[str, Any], on: date) -> None:
    """What the registry does when a sponsor updates a study: new content, a new post date."""
    section = study["protocolSection"]
    section["identificationModule"]["briefTitle"] += " (amended)"
    section["statusModule"]["lastUpdatePostDateStruct"] = {"date": on.isoformat(), "type": "ACTUAL"}


async def test_an_empty_query_reads_every_study_with_no_query_parameter(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.settings = dataclasses.replace(env.settings, ctgov_query="")
    caplog.set_level(logging.INFO, logger="indexer.sources.ctgov")
    run = await env.run("ctgov")
    assert run.status == "completed", run.message
    assert run.counts.created == STUDIES
    (request,) = env.state.requests  # 203 studies fit one page of 1,000
    assert _params(request) == {"format": "json", "pageSize": "1000"}
    assert "ctgov: reading every study (the whole registry), in full, 1,000 a page" in caplog.text


async def test_the_default_scope_asks_for_the_korea_subset(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="indexer.sources.ctgov")
    await env.run("ctgov")
    assert _params(env.state.requests[0])["query.locn"] == "South Korea"
    assert "reading the studies `query.locn=South Korea` selects, in full" in caplog.text


async def test_small_pages_follow_next_page_token_through_every_recorded_study(env: Env) -> None:
    run = await env.run("ctgov", page_size=20)
    assert run.counts.created == run.counts.fetched == STUDIES
    assert len(env.state.requests) == math.ceil(STUDIES / 20)
    tokens = [_params(r).get("pageToken") for r in env.state.requests]
    assert tokens[0] is None
    assert len(set(tokens[1:])) == len(tokens) - 1  # a new token each page
    assert {_params(r)["pageSize"] for r in env.state.requests} == {"20"}


@pytest.mark.parametrize("scope", SCOPES)
async def test_an_incremental_run_reads_only_the_studies_updated_since_the_last_completed_run(
    env: Env, scope: str, caplog: pytest.LogCaptureFixture
) -> None:
    env.settings = dataclasses.replace(env.settings, ctgov_query=SCOPES[scope])
    first = await env.run("ctgov")
    assert first.counts.created == STUDIES
    today = datetime.now(UTC).date()
    for study in env.state.ctgov[10:13]:
        _update(study, today)
    # changed without a new post date: an incremental read cannot see it (the weekly full can)
    env.state.ctgov[20]["protocolSection"]["identificationModule"]["briefTitle"] += " (silent)"
    env.state.requests.clear()
    caplog.set_level(logging.INFO, logger="indexer.sources.ctgov")

    second = await env.run("ctgov", page_size=2)
    assert second.status == "completed", second.message
    assert (second.counts.fetched, second.counts.updated) == (3, 3)
    assert second.counts.removed == 0
    asked = [_params(r) for r in env.state.requests]
    assert len(asked) == 2  # 3 studies, 2 a page: the token is followed under the filter too
    since = asked[0]["filter.advanced"].removeprefix("AREA[LastUpdatePostDate]RANGE[")
    assert since.removesuffix(",MAX]") < today.isoformat()
    assert all(a["filter.advanced"] == asked[0]["filter.advanced"] for a in asked)
    assert ("query.locn" in asked[0]) == bool(SCOPES[scope])
    assert f"updated since {since.removesuffix(',MAX]')}" in caplog.text


async def test_a_run_after_the_selection_changed_reads_in_full_then_incrementally_again(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """Emptying TRIALS_CTGOV_QUERY after runs of the Korea subset: a read of what changed since
    the last run would miss every study the whole registry adds that did not change since."""
    assert (await env.run("ctgov")).counts.created == STUDIES  # the default: the Korea subset
    env.settings = dataclasses.replace(env.settings, ctgov_query="")
    env.state.requests.clear()
    caplog.set_level(logging.INFO, logger="indexer.run")

    widened = await env.run("ctgov")
    assert widened.status == "completed", widened.message
    assert widened.counts.fetched == widened.counts.unchanged == STUDIES
    (asked,) = [_params(r) for r in env.state.requests]
    assert asked == {"format": "json", "pageSize": "1000"}  # every study, no date filter
    assert "the selection read changed (was `query.locn=South+Korea`, now ``)" in caplog.text
    logged = await env.es.get(index=env.names.sync_log, id=widened.run_id)
    assert (logged["_source"]["selection"], logged["_source"]["full"]) == ("", True)

    env.state.requests.clear()
    again = await env.run("ctgov")  # the same selection: what changed since
    assert again.status == "completed", again.message
    assert "filter.advanced" in _params(env.state.requests[0])
    assert again.counts.fetched == 0


async def test_the_fake_registry_filters_by_the_last_update_post_date_as_the_api() -> None:
    state = RegistryState()
    runner, base = await start_registry(state)
    posted = [_posted(s) for s in state.ctgov]

    async def ids(advanced: str) -> list[str] | int:
        query = {"filter.advanced": advanced, "pageSize": "1000"}
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{base}/ctgov/studies", params=query) as answer,
        ):
            if answer.status != 200:
                return answer.status
            body = await answer.json()
        return [_posted(s) for s in body["studies"]]

    try:
        after = await ids("AREA[LastUpdatePostDate]RANGE[2024-01-01,MAX]")
        assert after == [p for p in posted if p >= "2024-01-01"]
        assert 0 < len(after) < len(posted)
        both = "(AREA[LastUpdatePostDate]RANGE[MIN,2019-12-31]) AND "
        both += "AREA[LastUpdatePostDate]RANGE[2019-01-01,MAX]"
        assert await ids(both) == [p for p in posted if p.startswith("2019")]
        edge = min(after)  # a range's bounds are inclusive
        assert await ids(f"AREA[LastUpdatePostDate]RANGE[{edge},{edge}]") == [edge] * after.count(
            edge
        )
        assert await ids("AREA[Phase]PHASE3") == 400  # not evaluated here: refused, not ignored
    finally:
        await runner.cleanup()


async def test_trials_index_says_which_ctgov_scope_it_read(env: Env, tmp_path: Path) -> None:
    settings = env.settings
    environment = child_env(
        settings.es_hosts[0],
        settings.index_prefix,
        TRIALS_CTGOV_URL=settings.ctgov_url,
        TRIALS_CTGOV_QUERY="",
    )
    child = await asyncio.create_subprocess_exec(
        trials_executable(),
        "index",
        "--source",
        "ctgov",
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode == 0, err.decode()
    assert "ctgov: reading every study (the whole registry), in full" in err.decode()
    assert out.decode().splitlines()[1].split()[:3] == ["ctgov", "completed", str(STUDIES)]
