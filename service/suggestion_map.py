"""The suggestions in memory: the entries of the suggestion index (`indexer.suggestions` writes
it, and it stays the source of truth), held by the service process so that GET /api/v1/suggest
answers without a round trip to the node (issue 11: p99 ≤ 20 ms at concurrency 32 for any
typing, not just what the answer cache has).

The answers are the index query's (`service.suggestions.matching`): the entries with a key or
a 초성 key starting with what was typed, most trials first, then by text, ties in the index's
order. The index stores every prefix of those keys up to `MAX_PREFIX` characters; here one
sorted list of the keys themselves serves every length, since a stored prefix is exactly the
start of a key. (The index looks a typed term up among the keys and the 초성 among the 초성
keys only past `MAX_PREFIX`; one list for both gives the same entries, since a typed term has
no compatibility jamo, the 초성 always has one, and a key never does.) A prefix that starts
more than `CROWDED` keys (`a`, `서울`) has its first ranks kept, so no answer scans more than
that many keys.

`SuggestionKeeper` loads the map when the application starts and loads it again when the
index changes (a search for its size and newest sequence number every `CHECK_EVERY_S`
seconds); until there is a map (starting, or no index yet) the route asks the node."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import async_scan

from service.suggestions import (
    FIELDS,
    MAX_LIMIT,
    OVERFETCH,
    SORT,
    distinct,
    identity,
    item,
    wanted,
)

log = logging.getLogger(__name__)

CHECK_EVERY_S = 15.0
KEPT = MAX_LIMIT * OVERFETCH  # ranks a crowded prefix keeps: the most any answer reads
CROWDED = 64  # keys a prefix may start and still be scanned
READ = (*FIELDS, "keys", "chosung")
# The index's state as searches see it: concrete index, entries, newest sequence number
Stamp = tuple[str, int, int]


@dataclass(frozen=True)
class SuggestionMap:
    # (identity, item) of each entry in the query's order: the position is the entry's rank
    entries: tuple[tuple[str, dict[str, Any]], ...]
    keys: list[str]  # every key and 초성 key, sorted
    ranks: array[int]  # the rank of the entry each key is of
    crowded: dict[str, tuple[int, ...]]  # a prefix of many keys → its first `KEPT` ranks

    @classmethod
    def build(cls, ordered: Sequence[Mapping[str, Any]]) -> SuggestionMap:
        """From the entries in the order the query sorts them (`SORT`, ties as the node
        breaks them)."""
        pairs = sorted({(k, rank) for rank, s in enumerate(ordered) for k in _keys(s)})
        keys, ranks = [k for k, _ in pairs], array("I", (r for _, r in pairs))
        entries = tuple((identity(s), item(s)) for s in ordered)
        return cls(entries, keys, ranks, _crowded(keys, ranks))

    def suggested(self, q: str, limit: int) -> list[dict[str, Any]]:
        """What the index query answers for `q`."""
        terms, _ = wanted(q)
        found = sorted(set().union(*(self._starting(w) for w in terms)))
        kept = distinct((self.entries[r] for r in found[: limit * OVERFETCH]), limit)
        return [dict(one) for one in kept]  # copies: the map's own stay as loaded

    def _starting(self, prefix: str) -> Iterable[int]:
        kept = self.crowded.get(prefix)
        if kept is not None:
            return kept
        lo, hi = _span(self.keys, prefix)
        return self.ranks[lo:hi]


def _keys(source: Mapping[str, Any]) -> list[str]:
    return [*source.get("keys", ()), *source.get("chosung", ())]


def _span(keys: list[str], prefix: str) -> tuple[int, int]:
    """Where the sorted keys starting with `prefix` are."""
    lo = bisect_left(keys, prefix)
    after = _after(prefix)
    return lo, len(keys) if after is None else bisect_left(keys, after, lo)


def _after(prefix: str) -> str | None:
    """The least text past every one starting with `prefix` (None if there is none: it is all
    the last code point)."""
    stem = prefix.rstrip(chr(sys.maxunicode))
    return stem[:-1] + chr(ord(stem[-1]) + 1) if stem else None


def _crowded(keys: list[str], ranks: array[int]) -> dict[str, tuple[int, ...]]:
    """Every prefix starting more than `CROWDED` keys (found from the shortest: only a crowded
    prefix's longer ones can be), with its first `KEPT` ranks."""
    found: dict[str, tuple[int, ...]] = {}
    todo = sorted({k[:1] for k in keys})
    while todo:
        prefix = todo.pop()
        lo, hi = _span(keys, prefix)
        if hi - lo <= CROWDED:
            continue
        found[prefix] = tuple(sorted(set(ranks[lo:hi]))[:KEPT])
        todo.extend({k[: len(prefix) + 1] for k in keys[lo:hi] if len(k) > len(prefix)})
    return found


class SuggestionKeeper:
    """The application's map: `map` is None until loaded, and while the index is missing."""

    def __init__(self, es: AsyncElasticsearch, alias: str) -> None:
        self.map: SuggestionMap | None = None
        self._es, self._alias = es, alias
        self._stamp: Stamp | None = None
        self._lock = asyncio.Lock()  # one load at a time: an older one never lands last

    async def refresh(self) -> bool:
        """Loads the map again when the index changed since the last load; True if it did."""
        async with self._lock:
            try:
                stamp = await _stamp(self._es, self._alias)
            except NotFoundError:  # no run has built the suggestions yet, or it was deleted
                self.map, self._stamp = None, None
                return False
            if stamp == self._stamp:
                return False
            t0 = time.perf_counter()
            ordered = [hit["_source"] async for hit in _read(self._es, self._alias)]
            # built in a thread: the event loop keeps answering meanwhile
            self.map = await asyncio.to_thread(SuggestionMap.build, ordered)
            self._stamp = stamp
        log.info(
            "suggestions in memory: %d entries, %d keys, loaded in %.2fs",
            len(self.map.entries),
            len(self.map.keys),
            time.perf_counter() - t0,
        )
        return True

    async def keep_fresh(self, every_s: float = CHECK_EVERY_S) -> None:
        """Runs until cancelled: loads now, then checks every `every_s` seconds."""
        while True:
            try:
                await self.refresh()
            except (ApiError, TransportError) as exc:  # the node is away: said once a check
                log.warning("suggestions not reloaded, the map in memory kept: %s", exc)
            except Exception:  # boundary: a failed check keeps the map and tries again
                log.exception("suggestions not reloaded, the map in memory kept")
            await asyncio.sleep(every_s)


async def _stamp(es: AsyncElasticsearch, alias: str) -> Stamp:
    """Changes with every write (a newer sequence number), delete (fewer entries) and new
    index behind the alias; one small search."""
    found = await es.search(
        index=alias, size=1, sort=[{"_seq_no": "desc"}], source=False, track_total_hits=True
    )
    hits, total = found["hits"]["hits"], found["hits"]["total"]["value"]
    return (hits[0]["_index"], total, hits[0]["sort"][0]) if hits else ("", 0, -1)


def _read(es: AsyncElasticsearch, alias: str) -> AsyncIterable[dict[str, Any]]:
    """Every entry in the query's order, ties broken by the node as in the query (a sorted
    scroll: the node merges the pages)."""
    query = {"sort": SORT, "_source": list(READ)}
    return async_scan(es, index=alias, query=query, preserve_order=True, size=2000)
