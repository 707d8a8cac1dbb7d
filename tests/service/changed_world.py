"""A world with history, made for real: the fake registry replays ClinicalTrials.gov's recorded
studies, one sync run indexes them, three upstream edits (a status, a target size, a title) and
a second run record their changes; the served app reads those indices."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions, run_source
from service.app import create_app
from testkit.recorded_sync import FAST_HTTP
from testkit.registry.server import RegistryState, start_registry
from trials.model import doc_id
from trials.settings import Settings

NEW_TITLE = "A renamed registry study of coronary bifurcation stenting"


@dataclass(frozen=True)
class Changed:
    settings: Settings
    status_id: str
    size_id: str
    title_id: str
    old_size: int
    old_title: str
    first_run: str
    second_run: str


async def make_changed(es: AsyncElasticsearch, settings: Settings) -> Changed:
    state = RegistryState()
    runner, base = await start_registry(state)
    own = dataclasses.replace(
        settings,
        index_prefix=f"{settings.index_prefix}hist{uuid.uuid4().hex[:6]}-",
        ctgov_url=f"{base}/ctgov",
    )
    try:
        first = await run_source(es, own, "ctgov", RunOptions(http=FAST_HTTP))
        studies = [s["protocolSection"] for s in state.ctgov[3:6]]
        ids = [doc_id("ctgov", s["identificationModule"]["nctId"]) for s in studies]
        status, size, title = studies
        status["statusModule"]["overallStatus"] = "COMPLETED"
        old_size = int(size["designModule"]["enrollmentInfo"]["count"])
        size["designModule"]["enrollmentInfo"]["count"] = old_size + 250
        old_title = str(title["identificationModule"]["briefTitle"])
        title["identificationModule"]["briefTitle"] = NEW_TITLE
        second = await run_source(es, own, "ctgov", RunOptions(http=FAST_HTTP, full=True))
    finally:
        await runner.cleanup()
    assert (first.status, second.status) == ("completed", "completed")
    assert second.counts.updated == 3
    await es.indices.refresh(index=f"{own.index_prefix}*")
    status_id, size_id, title_id = ids
    return Changed(
        own, status_id, size_id, title_id, old_size, old_title, first.run_id, second.run_id
    )


@pytest.fixture(scope="session")
async def changed(es: AsyncElasticsearch, settings: Settings) -> Changed:
    return await make_changed(es, settings)


@pytest.fixture
async def history_client(
    es: AsyncElasticsearch, changed: Changed
) -> AsyncIterator[TestClient[Any, Any]]:
    app = create_app(changed.settings, es=es)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
