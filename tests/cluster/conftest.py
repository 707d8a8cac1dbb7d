"""One three-node cluster of our own for the cluster tests (free ports, own data, 512 MiB a
node; the session's shared node is never touched), and per test an index prefix on it with
one replica of every shard. A test that kills a node leaves it dead; `healed` starts it again
and waits for green before the next test, so every test begins with three nodes."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from elasticsearch import AsyncElasticsearch

from bench.reliability.machine import es_version
from localnode.cluster import LocalCluster
from testkit.elastic_node import private_cluster
from tests.cluster.evidence import measured
from trials.es import make_client
from trials.indices import ensure_indices
from trials.settings import Settings

SIZE = 3
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    began = time.monotonic()
    with private_cluster(SIZE) as started:
        seconds = round(time.monotonic() - began, 1)
        version = es_version(started.urls[0])  # the report is written after the cluster stops
        measured(test="cluster start", nodes=SIZE, seconds=seconds, elasticsearch=version)
        yield started


@pytest.fixture
async def healed(cluster: LocalCluster) -> AsyncIterator[LocalCluster]:
    """The cluster, whole again (every member running, health green) after the test."""
    try:
        yield cluster
    finally:
        await asyncio.to_thread(cluster.start)
        async with make_client(Settings.from_env({"TRIALS_ES_URL": ",".join(cluster.urls)})) as es:
            await es.options(request_timeout=180).cluster.health(
                wait_for_status="green", wait_for_nodes=str(SIZE), timeout="170s"
            )


@pytest.fixture
async def on_cluster(
    healed: LocalCluster, settings: Settings
) -> AsyncIterator[tuple[Settings, AsyncElasticsearch]]:
    """Settings for every node of the cluster with this test's prefix, three primaries and one
    replica each; the indices made (green) and removed afterwards."""
    own = dataclasses.replace(
        settings,
        es_urls=healed.urls,
        index_prefix=f"cluster-{os.getpid()}-{next(_numbers)}-",
        index_shards=SIZE,
        index_replicas=1,
        es_timeout_s=30.0,
    )
    es = make_client(own)
    try:
        created = await ensure_indices(es, own)
        indices = list(created.values())
        await es.cluster.health(index=indices, wait_for_status="green", timeout="60s")
        yield own, es
    finally:
        await es.indices.delete(
            index=f"{own.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
        await es.close()
