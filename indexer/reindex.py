"""Rebuild the trials index from mappings/: a new versioned index filled by a client-side scroll
+ bulk from the current one (this node has no `_reindex`), then one atomic alias swap.

Each document keeps its `_version` (written with version_type=external), so the ordering of
later runs is unchanged, and its `_source` as stored (first_seen_at, changed_at, removed_at).
The locks of every source are held meanwhile, so no run writes into the index being left.

Documents are copied, not normalised again: a change to a source's normalisation reaches them
through the next sync, which normalises every record again when the source's `normalizer`
version differs from the one its last completed run recorded, and rewrites exactly the
documents whose `document_hash` changes (counted `renormalized`).
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan, async_streaming_bulk

from indexer.lock import SourceLock
from indexer.sink import BULK_MAX_BYTES
from trials.indices import Names, create_index, ensure_indices, indices_behind, swap_alias
from trials.registries import SOURCE_NAMES
from trials.settings import Settings


class NothingToReindex(Exception):
    """The trials alias does not exist: there is no index to rebuild, and none is made."""

    def __init__(self, alias: str) -> None:
        super().__init__(f"{alias} does not exist: nothing to rebuild")
        self.alias = alias


@dataclass(frozen=True)
class ReindexResult:
    new_index: str
    old_indices: list[str]
    copied: int
    failed: int


async def _actions(es: AsyncElasticsearch, alias: str, target: str) -> Any:
    async for hit in async_scan(es, index=alias, query={"version": True}, size=1000):
        yield {
            "_op_type": "index",
            "_index": target,
            "_id": hit["_id"],
            "version": hit["_version"],
            "version_type": "external",
            "_source": hit["_source"],
        }


async def reindex(
    es: AsyncElasticsearch, settings: Settings, *, delete_old: bool = True
) -> ReindexResult:
    names = Names.from_settings(settings)
    if not await indices_behind(es, names.trials):
        raise NothingToReindex(names.trials)
    await ensure_indices(es, settings)  # the locks index, should it be missing
    async with AsyncExitStack() as stack:
        for source in SOURCE_NAMES:
            lock = SourceLock(es, names.locks, source, "reindex", timedelta(minutes=30))
            await lock.acquire()
            stack.push_async_callback(lock.release)
        old = await indices_behind(es, names.trials)
        await es.indices.refresh(index=names.trials)  # the scroll must see the latest writes
        target = await create_index(es, settings, "trials")
        copied = failed = 0
        async for ok, _item in async_streaming_bulk(
            es,
            _actions(es, names.trials, target),
            max_chunk_bytes=BULK_MAX_BYTES,
            raise_on_error=False,
            raise_on_exception=False,
        ):
            copied, failed = copied + ok, failed + (not ok)
        if failed:  # keep serving the old index; the new one is left for inspection
            return ReindexResult(target, old, copied, failed)
        await es.indices.refresh(index=target)
        left = await swap_alias(es, names.trials, target)
        if delete_old and left:
            await es.indices.delete(index=left)
    return ReindexResult(target, left, copied, failed)
