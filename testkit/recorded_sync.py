"""The recorded records of all three registries, indexed for real: the fake registry replays
them and one sync run per registry writes them, through the whole indexer (normalise, tag,
hash, write, suggestions), into indices under a prefix of the caller's choosing. For tests and
benchmarks that need the real data searchable (search quality, suggestions)."""

from __future__ import annotations

import dataclasses

from elasticsearch import AsyncElasticsearch

from indexer.http import HttpOptions
from indexer.run import RunOptions, RunResult, run_source
from testkit.registry.server import RegistryState, start_registry
from trials.settings import Settings

REGISTRIES = ("icreat", "cris", "ctgov")
FAST_HTTP = HttpOptions(timeout_s=5.0, retries=3, backoff_s=0.01, backoff_max_s=0.05)


class SyncFailed(RuntimeError):
    """A run over the recorded records did not complete."""


async def index_recorded(es: AsyncElasticsearch, settings: Settings, prefix: str) -> Settings:
    """Sync every registry's recorded records into indices under `prefix`; the settings of
    those indices (refreshed, so everything written is searchable)."""
    state = RegistryState()
    runner, base = await start_registry(state)
    own = dataclasses.replace(
        settings,
        index_prefix=prefix,
        data_go_kr_key=state.key,
        icreat_url=f"{base}/icreat",
        cris_url=f"{base}/cris",
        ctgov_url=f"{base}/ctgov",
    )
    try:
        for source in REGISTRIES:
            _completed(await run_source(es, own, source, RunOptions(http=FAST_HTTP)))
    finally:
        await runner.cleanup()
    await es.indices.refresh(index=f"{prefix}*")
    return own


def _completed(result: RunResult) -> None:
    if result.status != "completed":
        raise SyncFailed(f"{result.source}: {result.status}: {result.message}")
