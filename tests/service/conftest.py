"""The served app (built by the one `create_app`) over a corpus loaded into a real node.

The service tests get their own index prefix (the session prefix plus `svc-`), because they
assert exact totals and the indexer's tests write into the session's own aliases; the session
fixture still deletes everything under the session prefix at the end.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from service.app import create_app
from tests.service import corpus
from trials.indices import Names, ensure_indices
from trials.launcher import SOURCE_NAMES, SyncAlreadyRunning, SyncLauncher, UnknownSource
from trials.settings import Settings

ADMIN_TOKEN = "test-admin-token-한글"


@pytest.fixture(scope="session")
def svc_settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        index_prefix=f"{settings.index_prefix}svc-",
        admin_token=ADMIN_TOKEN,
        cursor_secret="service-tests",
    )


@pytest.fixture(scope="session")
def names(svc_settings: Settings) -> Names:
    return Names.from_settings(svc_settings)


@pytest.fixture(scope="session")
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture(scope="session")
async def loaded(
    es: AsyncElasticsearch, svc_settings: Settings, names: Names, now: datetime
) -> dict[str, dict[str, object]]:
    """Every corpus trial by id, plus three sync runs, indexed and searchable."""
    await ensure_indices(es, svc_settings)
    docs = corpus.trial_docs(now)
    runs = [
        corpus.sync_run_doc("cris-run-1", "cris", "completed", now - timedelta(days=2)),
        corpus.sync_run_doc("cris-run-2", "cris", "failed", now - timedelta(days=1)),
        corpus.sync_run_doc("ctgov-run-1", "ctgov", "completed", now - timedelta(hours=5)),
    ]
    actions = [{"_index": names.trials, "_id": d["id"], "_source": d} for d in docs]
    actions += [{"_index": names.sync_log, "_id": r["run_id"], "_source": r} for r in runs]
    await async_bulk(es, actions, refresh="wait_for")
    return {str(d["id"]): d for d in docs}


def make_launcher(es: AsyncElasticsearch, names: Names) -> SyncLauncher:
    """Writes real `running` sync-log documents, as the indexer's launcher does; a source with
    a running run is refused. It tests the endpoint, not the indexer."""

    async def launch(sources: Sequence[str], full: bool) -> list[str]:
        run_ids = []
        for source in sources:
            if source not in SOURCE_NAMES:
                raise UnknownSource(source)
            running = await es.count(
                index=names.sync_log,
                query={
                    "bool": {
                        "filter": [{"term": {"source": source}}, {"term": {"status": "running"}}]
                    }
                },
            )
            if running["count"]:
                raise SyncAlreadyRunning(source, "test-host:1")
            run_id = f"{source}-{uuid.uuid4().hex[:8]}"
            doc = corpus.sync_run_doc(run_id, source, "running", datetime.now(UTC))
            doc.update(trigger="api", full=full)
            await es.index(index=names.sync_log, id=run_id, document=doc, refresh="wait_for")
            run_ids.append(run_id)
        return run_ids

    return launch


@pytest.fixture(scope="session")
async def client(
    es: AsyncElasticsearch, svc_settings: Settings, names: Names, loaded: object
) -> AsyncIterator[TestClient[object, object]]:
    app = create_app(svc_settings, es=es, launcher=make_launcher(es, names))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
