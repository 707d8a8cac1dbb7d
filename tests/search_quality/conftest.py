"""The recorded records of the three registries, synced for real (fake registry, real indexer)
into this session's own prefix plus `sq-`, once for every search-quality test; and the app
over them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from service.app import create_app
from testkit.recorded_sync import index_recorded
from trials.indices import Names
from trials.settings import Settings


@pytest.fixture(scope="session")
async def recorded(es: AsyncElasticsearch, settings: Settings) -> Settings:
    return await index_recorded(es, settings, f"{settings.index_prefix}sq-")


@pytest.fixture(scope="session")
def alias(recorded: Settings) -> str:
    return Names.from_settings(recorded).trials


@pytest.fixture(scope="session")
async def api(es: AsyncElasticsearch, recorded: Settings) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(create_app(recorded, es=es))) as client:
        yield client
