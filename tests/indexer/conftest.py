"""Fixtures of the indexer tests: a fake registry replaying the real recorded records, and a
fresh set of indices (own prefix) per test, on the session's real node."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from elasticsearch import AsyncElasticsearch

from indexer.http import HttpOptions
from indexer.run import RunOptions, RunResult, run_source
from testkit.registry.server import RegistryState, start_registry
from trials.indices import Names
from trials.settings import Settings

_numbers = itertools.count(1)
FAST_HTTP = HttpOptions(timeout_s=1.0, retries=3, backoff_s=0.01, backoff_max_s=0.05)


@dataclass
class Env:
    """One test's world: registry state, settings pointing at it, and the real node."""

    state: RegistryState
    settings: Settings
    es: AsyncElasticsearch

    @property
    def names(self) -> Names:
        return Names.from_settings(self.settings)

    async def run(self, source: str, **options: object) -> RunResult:
        chosen = RunOptions(**{"http": FAST_HTTP, "heartbeat_s": 5.0, **options})  # type: ignore[arg-type]
        return await run_source(self.es, self.settings, source, chosen)

    async def doc(self, doc_id: str) -> dict[str, object]:
        found = await self.es.get(index=self.names.trials, id=doc_id)
        return dict(found.body)

    async def count(self, source: str) -> int:
        await self.es.indices.refresh(index=self.names.trials)
        found = await self.es.count(index=self.names.trials, query={"term": {"source": source}})
        return int(found["count"])

    async def index_total(self) -> int:
        """Index operations the concrete trials index has performed (its write counter)."""
        stats = await self.es.indices.stats(index=self.names.trials, metric="indexing")
        per_index = stats["indices"].values()
        return int(sum(i["primaries"]["indexing"]["index_total"] for i in per_index))


@pytest.fixture
async def env(settings: Settings, es: AsyncElasticsearch) -> AsyncIterator[Env]:
    state = RegistryState()
    runner, base = await start_registry(state)
    own = dataclasses.replace(
        settings,
        index_prefix=f"{settings.index_prefix}{next(_numbers)}-",
        data_go_kr_key=state.key,
        icreat_url=f"{base}/icreat",
        cris_url=f"{base}/cris",
        ctgov_url=f"{base}/ctgov",
        http_timeout_s=1.0,
        http_retries=3,
    )
    try:
        yield Env(state, own, es)
    finally:
        await runner.cleanup()
