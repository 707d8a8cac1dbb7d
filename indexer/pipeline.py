"""From fetched records to pending writes: batches read by a producer task (so fetching
overlaps writing), de-duplication across pages, hashing, comparison with the stored hashes, and
completion + normalisation of only the new or changed records."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from indexer.errors import BadResponse, RecordRejected, TransientSourceError
from indexer.sink import Pending, Sink, Stored
from indexer.sources.base import Raw, Source
from indexer.tally import Tally
from trials.model import Trial, content_hash, doc_id

# A record is JSON from outside: reading it as the wrong shape (a method on a string, iterating
# a number, a missing key) says the record is malformed, not that the run should stop.
MALFORMED = (AttributeError, TypeError, LookupError)


def normalized(source: Source, raw: Raw) -> Trial:
    """`source.normalize(raw)`, with every way a record can be malformed ending as
    `RecordRejected`: the one place that decides it, for every source."""
    try:
        return source.normalize(raw)
    except MALFORMED as exc:
        raise RecordRejected(f"wrong shape: {type(exc).__name__}: {exc}") from exc


@dataclass
class Batcher:
    source: Source
    sink: Sink
    tally: Tally
    concurrency: int
    seen: set[str] = field(default_factory=set)

    async def process(self, batch: list[Raw]) -> None:
        candidates = self._candidates(batch)
        stored = await self.sink.stored(list(candidates))
        changed = []
        for key, (digest, raw) in candidates.items():
            before = stored.get(key)
            if before and before.content_hash == digest and not before.removed_at:
                self.tally.add("unchanged", key)
            else:
                changed.append((key, digest, raw, before))
        gate = asyncio.Semaphore(self.concurrency)
        prepared = await asyncio.gather(*(self._prepare(gate, *item) for item in changed))
        await self.sink.write(p for p in prepared if p is not None)

    def _candidates(self, batch: list[Raw]) -> dict[str, tuple[str, Raw]]:
        found: dict[str, tuple[str, Raw]] = {}
        for raw in batch:
            try:
                key = doc_id(self.source.name, self.source.identify(raw))
            except RecordRejected as exc:
                self.tally.counts.fetched += 1
                self.tally.add("rejected", None, exc.reason)
                continue
            if key in self.seen:  # overlapping or shifted pages
                continue
            self.seen.add(key)
            self.tally.counts.fetched += 1
            try:
                found[key] = (content_hash(self.source.hashed_content(raw)), raw)
            except (TypeError, ValueError) as exc:
                self.tally.add("rejected", key, f"cannot hash the record: {exc}")
        return found

    async def _prepare(
        self, gate: asyncio.Semaphore, key: str, digest: str, raw: Raw, before: Stored | None
    ) -> Pending | None:
        try:
            async with gate:
                full = await self.source.complete(raw)
            trial = normalized(self.source, full)
        except RecordRejected as exc:  # named here: the pipeline knows the record's id
            self.tally.add("rejected", key, exc.reason)
            return None
        except (TransientSourceError, BadResponse) as exc:  # one record's detail; retried next run
            self.tally.add("failed", key, exc.cause)
            return None
        trial.content_hash = digest
        return Pending(trial, before)


async def batches(source: Source, size: int) -> AsyncIterator[list[Raw]]:
    """Batches of records, read by a producer task so fetching overlaps writing."""
    queue: asyncio.Queue[list[Raw] | BaseException | None] = asyncio.Queue(maxsize=2)

    async def produce() -> None:
        batch: list[Raw] = []
        try:
            async for raw in source.fetch():
                batch.append(raw)
                if len(batch) >= size:
                    await queue.put(batch)
                    batch = []
            await queue.put(batch)
            await queue.put(None)
        except Exception as exc:
            await queue.put(exc)

    producer = asyncio.create_task(produce())
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            if item:
                yield item
    finally:
        producer.cancel()


async def in_flight(
    items: AsyncIterator[list[Raw]], step: Callable[[list[Raw]], Awaitable[None]], limit: int
) -> None:
    """`step` each batch with up to `limit` running at once; the first failure cancels the
    rest and is raised. Safe for the counts: a batch claims its ids (`Batcher.seen`) before its
    first await, so two batches never handle the same record."""
    running: set[asyncio.Task[None]] = set()
    try:
        async for item in items:
            if len(running) >= limit:
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
            running.add(asyncio.create_task(step(item)))  # type: ignore[arg-type]
        while running:
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
