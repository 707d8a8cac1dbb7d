"""The raw `_bulk` baseline of the indexer benchmarks: the documents a sync would write, sent
straight to a new index with the trials mapping, in as many concurrent streams as a sync keeps
batches in flight and with the same chunk limits, then refreshed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from indexer.run import RunOptions
from trials.indices import create_index
from trials.settings import Settings

# (index, part, parts) -> the bulk actions of one stream: every parts-th document from part
Actions = Callable[[str, int, int], Iterator[dict[str, Any]]]
CHUNK_ACTIONS, CHUNK_BYTES = 500, 1_000_000
# (client, settings, actions) -> the index written and the seconds it took
Baseline = Callable[[AsyncElasticsearch, Settings, Actions], Coroutine[Any, Any, tuple[str, float]]]


async def raw_bulk(
    es: AsyncElasticsearch, settings: Settings, actions: Actions
) -> tuple[str, float]:
    """The index written (under `settings`' prefix) and the seconds it took."""
    index = await create_index(es, settings, "trials")
    started = time.perf_counter()
    streams = RunOptions().batches_in_flight
    await asyncio.gather(
        *(
            async_bulk(
                es,
                actions(index, part, streams),
                chunk_size=CHUNK_ACTIONS,
                max_chunk_bytes=CHUNK_BYTES,
            )
            for part in range(streams)
        )
    )
    await es.indices.refresh(index=index)
    return index, time.perf_counter() - started


async def prebuilt_bulk(
    es: AsyncElasticsearch, settings: Settings, actions: Actions
) -> tuple[str, float]:
    """The strict baseline: the same documents built and serialised into `_bulk` bodies
    before the clock starts (chunks of at most 500 actions and 1,000,000 bytes, as above), so
    only sending them and the node's indexing are timed: what the node takes, and nothing a
    sync does in Python. The index written and the seconds it took."""
    index = await create_index(es, settings, "trials")
    streams = RunOptions().batches_in_flight
    bodies = [list(_bodies(actions(index, part, streams))) for part in range(streams)]
    client = es.options(request_timeout=120)

    async def send(stream: list[bytes]) -> None:
        for body in stream:
            # pre-serialised NDJSON: the client sends bytes as they are (its type says a list)
            answer = await client.bulk(body=body, filter_path="errors,items.*.error")  # type: ignore[arg-type]
            if answer.body.get("errors"):
                raise RuntimeError(f"the raw _bulk baseline failed: {answer.body['items'][:3]}")

    started = time.perf_counter()
    await asyncio.gather(*(send(stream) for stream in bodies))
    await es.indices.refresh(index=index)
    return index, time.perf_counter() - started


def _bodies(actions: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    chunk: list[bytes] = []
    size = 0
    for action in actions:
        meta = {"index": {"_index": action["_index"], "_id": action["_id"]}}
        lines = orjson.dumps(meta) + b"\n" + orjson.dumps(action["_source"]) + b"\n"
        if chunk and (len(chunk) == CHUNK_ACTIONS or size + len(lines) > CHUNK_BYTES):
            yield b"".join(chunk)
            chunk, size = [], 0
        chunk.append(lines)
        size += len(lines)
    if chunk:
        yield b"".join(chunk)
