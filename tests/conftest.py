"""Session fixtures: one real node, one index prefix per session, cleaned up at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from elasticsearch import AsyncElasticsearch

from testkit.children import child_env
from testkit.elastic_node import NoNode, provide_node
from trials.es import make_client
from trials.indices import ensure_indices
from trials.settings import Settings


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    try:
        with provide_node() as url:
            yield url
    except NoNode as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs a real Elasticsearch node: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def index_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(scope="session")
def settings(es_url: str, index_prefix: str) -> Settings:
    return Settings.from_env(child_env(es_url, index_prefix))


@pytest.fixture(scope="session")
async def es(settings: Settings) -> AsyncIterator[AsyncElasticsearch]:
    client = make_client(settings)
    try:
        await client.cluster.health(wait_for_status="yellow", timeout="60s")
        yield client
    finally:
        await client.indices.delete(
            index=f"{settings.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
        await client.close()


@pytest.fixture(scope="session")
async def initialised(es: AsyncElasticsearch, settings: Settings) -> dict[str, str]:
    """The prefixed indices and aliases of this session, created from mappings/."""
    return await ensure_indices(es, settings)
