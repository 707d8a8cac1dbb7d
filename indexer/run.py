"""One sync run of one source: the function behind `trials index`, the scheduler and the
service's admin endpoint.

lock → sync-log `running` → close dead runs → fetch in batches (a producer task reads pages
while the previous batch is written) → per batch: de-duplicate, hash, compare with the stored
hashes, complete + normalise only new/changed records, write → tombstones after a complete full
fetch → sync-log `completed` / `partial` / `failed` → unlock.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import aiohttp
from elasticsearch import AsyncElasticsearch

from indexer.catalog import build_source
from indexer.errors import SourceError
from indexer.http import HttpOptions, RegistryClient
from indexer.lock import SourceLock
from indexer.pipeline import Batcher, batches, in_flight
from indexer.sink import Sink
from indexer.sources.base import Raw, Source
from indexer.synclog import RunRecord, SyncLog
from indexer.tally import Counts, Tally
from trials.indices import Names, ensure_indices
from trials.logs import log_context
from trials.model import write_version
from trials.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str, Counts, float], None]
CURSOR_OVERLAP = timedelta(days=2)  # registries post updates late; re-reading 2 days is cheap


@dataclass(frozen=True)
class RunOptions:
    trigger: str = "cli"
    full: bool = False
    batch_size: int = 500
    concurrency: int = 4  # detail requests in flight per batch (CRIS)
    batches_in_flight: int = 2  # batches compared / written at once (the node has cores)
    lock_ttl: timedelta = timedelta(minutes=2)
    heartbeat_s: float = 20.0
    http: HttpOptions | None = None
    page_size: int | None = None
    demo_count: int = 300


@dataclass(frozen=True)
class RunResult:
    run_id: str
    source: str
    status: str
    counts: Counts
    message: str | None
    duration_s: float


def new_run_id(source: str, started: datetime) -> str:
    return f"{source}-{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"


@asynccontextmanager
async def _locked(
    es: AsyncElasticsearch, names: Names, source: str, run_id: str, ttl: timedelta
) -> AsyncIterator[SourceLock]:
    lock = SourceLock(es, names.locks, source, run_id, ttl)
    await lock.acquire()
    try:
        yield lock
    finally:
        try:
            await asyncio.shield(lock.release())
        except Exception:  # the run is over and logged; an unreleased lock expires by itself
            log.exception("%s: could not release the lock of %s", run_id, source)


async def _heartbeat(synclog: SyncLog, run: RunRecord, lock: SourceLock, every_s: float) -> None:
    """Saves the run's progress and pushes the lock's expiry forward. A lock lost (expired and
    taken over, or deleted) is said once and not renewed again: the run goes on, its writes
    protected by external versioning."""
    held = True
    while True:
        await asyncio.sleep(every_s)
        try:
            await synclog.save(run)
            if held and not await lock.renew():
                held = False
                log.warning("%s: lost the lock of %s", run.run_id, run.source)
        except Exception:
            log.exception("%s: heartbeat failed", run.run_id)


async def _since(synclog: SyncLog, source: str, full: bool) -> date | None:
    if full or source != "ctgov":
        return None
    last = await synclog.last_completed(source)
    if last is None:
        return None
    return (datetime.fromisoformat(last["started_at"]) - CURSOR_OVERLAP).date()


async def run_source(
    es: AsyncElasticsearch,
    settings: Settings,
    source_name: str,
    options: RunOptions = RunOptions(),
    *,
    progress: Progress | None = None,
    on_started: Callable[[str], None] | None = None,
    source: Source | None = None,
) -> RunResult:
    """Run one sync of `source_name`. Raises `SyncAlreadyRunning` when another run holds its
    lock; every other failure ends in the returned status and the sync log, never raised."""
    await ensure_indices(es, settings)
    names = Names.from_settings(settings)
    started = datetime.now(UTC)
    run_id = new_run_id(source_name, started)
    run = RunRecord(run_id, source_name, options.trigger, options.full, started, Tally())
    synclog = SyncLog(es, names.sync_log)
    # every line logged during the run, by any logger and in any task it starts, names it
    with log_context(run_id=run_id, source=source_name):
        try:
            async with _locked(es, names, source_name, run_id, options.lock_ttl) as lock:
                await synclog.save(run)
                if on_started is not None:
                    on_started(run_id)
                beat = asyncio.create_task(_heartbeat(synclog, run, lock, options.heartbeat_s))
                try:
                    await _execute(es, settings, names, run, options, progress, source, synclog)
                finally:
                    beat.cancel()
                    if run.status == "running":  # cancelled (shutdown, Ctrl-C): say so
                        run.status, run.message = "failed", "cancelled before it finished"
                    run.finished = datetime.now(UTC)
                    await _record_end(synclog, run)
        finally:
            if run.finished is not None:  # the run happened (it was not refused its lock)
                _log_summary(run, run.finished)
    duration = (run.finished - started).total_seconds()
    return RunResult(run_id, source_name, run.status, run.tally.counts, run.message, duration)


def _log_summary(run: RunRecord, finished: datetime) -> None:
    """The one line that ends each run, with the counts the sync log holds."""
    counts = run.tally.counts.as_dict()
    duration_ms = int((finished - run.started).total_seconds() * 1000)
    shown = ", ".join(f"{n:,} {name}" for name, n in counts.items() if n or name == "fetched")
    note = f" ({run.message})" if run.message else ""
    log.log(
        logging.INFO if run.status == "completed" else logging.WARNING,
        "sync of %s %s in %.1fs: %s%s",
        run.source,
        run.status,
        duration_ms / 1000,
        shown,
        note,
        extra={
            "event": "sync_run",
            "status": run.status,
            "trigger": run.trigger,
            "full": run.full,
            "duration_ms": duration_ms,
            "counts": counts,
            "_in_message": ("status", "duration_ms", "counts"),
        },
    )


async def _record_end(synclog: SyncLog, run: RunRecord) -> None:
    """The run's last save. When the node is gone, the result is still returned (with the
    reason) rather than raised; the next run closes the log document left `running`."""
    try:
        await asyncio.shield(synclog.save(run))
    except Exception as exc:
        log.warning("%s: could not record the end of the run", run.run_id, exc_info=True)
        note = f"the sync log could not be updated ({type(exc).__name__})"
        run.message = f"{run.message}; {note}" if run.message else note


async def _execute(
    es: AsyncElasticsearch,
    settings: Settings,
    names: Names,
    run: RunRecord,
    options: RunOptions,
    progress: Progress | None,
    source: Source | None,
    synclog: SyncLog,
) -> None:
    tally = run.tally
    try:
        closed = await synclog.close_dead(run.source, run.run_id)
        if closed:
            log.warning("closed dead run(s) of %s: %s", run.source, ", ".join(closed))
        since = await _since(synclog, run.source, options.full)
        run.cursor = since.isoformat() if since else None
        version = await _version(synclog, run)
        now = run.started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        sink = Sink(es, names.trials, run.run_id, version, now, tally)
        await es.indices.refresh(index=names.trials)  # stored hashes are read by search
        async with _session(options, settings) as client_for:
            src = source or build_source(
                run.source,
                settings,
                client_for,
                since=since,
                page_size=options.page_size,
                demo_count=options.demo_count,
            )
            batcher = Batcher(src, sink, tally, options.concurrency)

            async def step(batch: list[Raw]) -> None:
                await batcher.process(batch)
                if progress is not None:
                    progress(run.source, tally.counts, _elapsed(run))

            await in_flight(batches(src, options.batch_size), step, options.batches_in_flight)
            notes = []
            reported = getattr(src, "reported_total", None)
            if not getattr(src, "full_fetch", True):
                pass  # an incremental fetch says nothing about records it did not ask for
            elif reported is not None and tally.counts.fetched < reported:
                # pages shifted under the crawl: a missing record may only have been skipped
                notes.append(
                    f"read {tally.counts.fetched} of the {reported} records the registry "
                    "reported, so none was marked removed"
                )
            else:
                await sink.tombstone(src.name, batcher.seen, _live_seen(tally.counts))
        run.status = "completed" if tally.counts.failed == 0 else "partial"
        if tally.counts.failed:
            notes.append(f"{tally.counts.failed} record(s) failed; they are retried next run")
        run.message = "; ".join(notes) or None
    except SourceError as exc:
        run.status, run.message = "failed", str(exc)
        tally.error("source", exc.cause)
    except Exception as exc:  # the boundary of one run: record why, never crash the caller
        log.exception("%s failed", run.run_id)
        run.status, run.message = "failed", f"{type(exc).__name__}: {exc}"
        tally.error("internal", run.message)


async def _version(synclog: SyncLog, run: RunRecord) -> int:
    """See `trials.model.write_version`."""
    return write_version(run.started, await synclog.previous_start(run.source, run.run_id))


def _live_seen(counts: Counts) -> int | None:
    """How many fetched records are now live documents, when every outcome tells (a stale,
    failed or rejected record may or may not have a live document)."""
    if counts.stale or counts.failed or counts.rejected:
        return None
    return counts.created + counts.updated + counts.unchanged + counts.restored


def _elapsed(run: RunRecord) -> float:
    return (datetime.now(UTC) - run.started).total_seconds()


@asynccontextmanager
async def _session(
    options: RunOptions, settings: Settings
) -> AsyncIterator[Callable[[str], RegistryClient]]:
    http = options.http or HttpOptions.from_settings(settings)
    async with aiohttp.ClientSession(headers={"Accept": "application/json"}) as session:
        yield lambda name: RegistryClient(name, session, http)


async def run_sources(
    es: AsyncElasticsearch,
    settings: Settings,
    source_names: list[str],
    options: RunOptions = RunOptions(),
    progress: Progress | None = None,
) -> list[RunResult | BaseException]:
    """Run several sources at once; one failing (or locked) source never stops the others."""
    await ensure_indices(es, settings)  # once, before the runs race to create the same indices
    runs = [run_source(es, settings, name, options, progress=progress) for name in source_names]
    return list(await asyncio.gather(*runs, return_exceptions=True))
