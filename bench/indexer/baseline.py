"""The raw `_bulk` baseline of the indexer benchmarks: the documents a sync would write, sent
straight to a new index with the trials mapping, in as many concurrent streams as a sync keeps
batches in flight and with the same chunk limits, then refreshed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from indexer.run import RunOptions
from trials.indices import create_index
from trials.settings import Settings

# (index, part, parts) -> the bulk actions of one stream: every parts-th document from part
Actions = Callable[[str, int, int], Iterator[dict[str, Any]]]


async def raw_bulk(
    es: AsyncElasticsearch, settings: Settings, actions: Actions
) -> tuple[str, float]:
    """The index written (under `settings`' prefix) and the seconds it took."""
    index = await create_index(es, settings, "trials")
    started = time.perf_counter()
    streams = RunOptions().batches_in_flight
    await asyncio.gather(
        *(
            async_bulk(es, actions(index, part, streams), chunk_size=500, max_chunk_bytes=1_000_000)
            for part in range(streams)
        )
    )
    await es.indices.refresh(index=index)
    return index, time.perf_counter() - started
