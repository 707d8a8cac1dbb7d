"""From fetched records to pending writes: batches read by a producer task (so fetching
overlaps writing), de-duplication across pages, hashing, comparison with what is stored, and
completion + normalisation of only what may be written.

A record is written when its content changed (the hash of the complete record; for a source
that reads details, the stored detail stands in for a detail not read again), when this run
normalises again (`renormalize`: a new normaliser) and the document differs, or when a detail
was read again (the write records when). Everything else is `unchanged` without a write.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace

from indexer.errors import BadResponse, RecordRejected, TransientSourceError
from indexer.refresh import DetailRefresh
from indexer.seen import SeenIds
from indexer.sink import Pending, Sink, WriteKind, trial_hash
from indexer.sources.base import Listed, Raw, Served, Source
from indexer.stored import Stored
from indexer.tagging import tag
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


@dataclass(slots=True)  # not frozen: made for every listed record, and a frozen init is slow
class Plan:
    """One record on its way: `raw` is complete unless `read` (then `Batcher._read` reads it
    with `complete`, and the plan it returns holds the complete record)."""

    key: str
    raw: Raw
    before: Stored | None
    read: bool = False
    served: str | None = None  # the digest of the record's bytes as served, if kept


@dataclass
class Batcher:
    source: Source
    sink: Sink
    tally: Tally
    concurrency: int
    renormalize: bool = False  # this run normalises every record again (a new normaliser)
    refresh: DetailRefresh | None = None  # which stored details to read again
    seen: SeenIds = field(default_factory=SeenIds)

    async def process(self, batch: list[Listed]) -> None:
        listed = self._listed(batch)
        # Most records of most runs are unchanged, and their hashes are all they need: unless
        # every record may be written (a stored detail reused, a new normaliser), the rest of
        # what is stored is read only for the records that changed.
        whole = self.source.reads_details or self.renormalize
        stored = await self.sink.stored(
            list(listed), with_raw=self.source.reads_details, hashes_only=not whole
        )
        plans = [self._planned(key, raw, stored.get(key)) for key, raw in listed.items()]
        planned = [p for p in plans if p is not None]
        ready = await self._read(planned if whole else await self._in_full(planned))
        # normalised one after the other, without a task each: no await is left to overlap
        pending = [self._prepare(plan) for plan in ready]
        await self.sink.write(p for p in pending if p is not None)

    def _listed(self, batch: list[Listed]) -> dict[str, Listed]:
        found: dict[str, Listed] = {}
        for raw in batch:
            try:
                registry_id = (
                    raw.registry_id if isinstance(raw, Served) else self.source.identify(raw)
                )
                key = doc_id(self.source.name, registry_id)
            except RecordRejected as exc:
                self.tally.counts.fetched += 1
                self.tally.add("rejected", None, exc.reason)
                continue
            if not self.seen.add(key):  # overlapping or shifted pages
                continue
            self.tally.counts.fetched += 1
            found[key] = raw
        return found

    def _planned(self, key: str, listed: Listed, before: Stored | None) -> Plan | None:
        """What to do with one listed record; None once it is counted (unchanged, rejected)."""
        served = listed.digest if isinstance(listed, Served) else None
        try:
            if served is not None and self._served_unchanged(served, before):
                self.tally.add("unchanged", key)
                return None
            raw = listed.decoded() if isinstance(listed, Served) else listed
            plan = self._plan(key, raw, before)
            plan.served = served
            if plan.read or plan.before is None or self.renormalize:
                return plan
            if plan.before.removed_at or self._digest(plan.raw) != plan.before.content_hash:
                return plan
        except RecordRejected as exc:
            self.tally.add("rejected", key, exc.reason)
            return None
        self.tally.add("unchanged", key)
        return None

    def _served_unchanged(self, served: str, before: Stored | None) -> bool:
        """The same bytes as when last written: unchanged, unless this run normalises again
        or the stored trial is removed (then it is restored)."""
        return (
            before is not None
            and before.served_hash == served
            and not before.removed_at
            and not self.renormalize
        )

    def _plan(self, key: str, raw: Raw, before: Stored | None) -> Plan:
        if not self.source.reads_details:
            return Plan(key, raw, before)
        stored = before.raw if before is not None else None
        if before is None or before.removed_at or stored is None:
            return Plan(key, raw, before, read=True)
        # the stored record's hash under today's rule, so a rule change is no update
        before = replace(before, content_hash=self._digest(stored))
        reused = self.source.reuse(raw, stored)
        if self._digest(reused) != before.content_hash:  # the listing changed
            return Plan(key, raw, before, read=True)
        refresh = self.refresh
        if refresh is not None and refresh.due(key, before.detail_read_at) and refresh.take():
            return Plan(key, raw, before, read=True)
        return Plan(key, reused, before)

    def _digest(self, raw: Raw) -> str:
        try:
            return content_hash(self.source.hashed_content(raw))
        except (*MALFORMED, ValueError) as exc:
            raise RecordRejected(f"cannot hash the record: {exc}") from exc

    async def _in_full(self, plans: list[Plan]) -> list[Plan]:
        """`plans` with all that is stored for the documents they write over."""
        ids = [plan.key for plan in plans if plan.before is not None]
        if not ids:
            return plans
        stored = await self.sink.stored(ids)
        return [replace(p, before=stored.get(p.key)) if p.before else p for p in plans]

    async def _read(self, plans: list[Plan]) -> list[Plan]:
        """`plans` with the records they `read` read in full, up to `concurrency` at once; a
        record that cannot be read is counted and left out."""
        if not any(plan.read for plan in plans):
            return plans
        gate = asyncio.Semaphore(self.concurrency)
        read = iter(await asyncio.gather(*(self._completed(gate, p) for p in plans if p.read)))
        in_order = (next(read) if plan.read else plan for plan in plans)
        return [plan for plan in in_order if plan is not None]

    async def _completed(self, gate: asyncio.Semaphore, plan: Plan) -> Plan | None:
        try:
            async with gate:
                return replace(plan, raw=await self.source.complete(plan.raw))
        except RecordRejected as exc:  # named here: the pipeline knows the record's id
            self.tally.add("rejected", plan.key, exc.reason)
        except (TransientSourceError, BadResponse) as exc:  # one record's detail; retried next run
            self.tally.add("failed", plan.key, exc.cause)
        return None

    def _prepare(self, plan: Plan) -> Pending | None:
        key, before, full = plan.key, plan.before, plan.raw
        try:
            trial = tag(normalized(self.source, full))  # concepts: before the hashes
            trial.content_hash = self._digest(full)
            trial.served_hash = plan.served
        except RecordRejected as exc:
            self.tally.add("rejected", key, exc.reason)
            return None
        if self.source.reads_details:
            trial.detail_read_at = self.sink.now if plan.read else _read_at(before)
        kind = self._kind(trial, before, plan.read)
        if kind is None:
            self.tally.add("unchanged", key)
            return None
        return Pending(trial, before, kind)

    def _kind(self, trial: Trial, before: Stored | None, read: bool) -> WriteKind | None:
        """How `trial` is written, or None when it is not."""
        if before is None or before.removed_at or trial.content_hash != before.content_hash:
            return "content"
        if self.renormalize and trial_hash(trial) != before.document_hash:
            return "renormalized"
        return "reread" if read else None


def _read_at(before: Stored | None) -> str | None:
    return before.detail_read_at if before is not None else None


async def batches(source: Source, size: int) -> AsyncIterator[list[Listed]]:
    """Batches of records, read by a producer task so fetching overlaps writing."""
    queue: asyncio.Queue[list[Listed] | BaseException | None] = asyncio.Queue(maxsize=2)

    async def produce() -> None:
        batch: list[Listed] = []
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
    items: AsyncIterator[list[Listed]],
    step: Callable[[list[Listed]], Awaitable[None]],
    limit: int,
) -> None:
    """`step` each batch with up to `limit` running at once; the first failure of a step
    cancels the rest and is raised. A failure of `items` (the source) is raised once the steps
    already running have ended: the records read before it are written and counted, rather
    than a bulk request the node may still apply being abandoned (its writes would land
    uncounted). Safe for the counts: a batch claims its ids (`Batcher.seen`) before its first
    await, so two batches never handle the same record."""
    running: set[asyncio.Task[None]] = set()
    read = aiter(items)
    try:
        while True:
            try:
                item = await anext(read)
            except StopAsyncIteration:
                break
            except Exception:  # the source's, not a step's: the running steps end first
                if running:
                    await asyncio.wait(running)  # their failures are gathered below
                raise
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
