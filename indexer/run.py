"""One sync run of one source: the function behind `trials index`, the scheduler and the
service's admin endpoint.

lock → sync-log `running` → prepare: close dead runs (their writes counted from the documents),
cursor, write version, sink → sync: fetch in batches (a producer task reads pages while the
previous batch is written), per batch: de-duplicate, hash, compare with what is stored,
complete + normalise only what may be written (`indexer.pipeline`), write → finish: tombstones
after a complete full fetch (or what fell short) → outcome: the run record's verb writes
`completed` / `partial` / `failed`, or `cancelled` when the run's task is cancelled → unlock.

When the source's normaliser is not the one of its last completed run, the run reads in full
and normalises every record again (`renormalize`), so a parser change reaches every document.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp
from elasticsearch import AsyncElasticsearch

from indexer import collector, suggestions
from indexer.catalog import build_source
from indexer.errors import SourceError
from indexer.http import HttpOptions, RegistryClient
from indexer.lock import SourceLock
from indexer.outcome import conclude, finish
from indexer.pipeline import Batcher, batches, in_flight
from indexer.reconcile import written_by
from indexer.refresh import DetailRefresh
from indexer.seen import SeenIds
from indexer.sink import Sink
from indexer.sources.base import Listed, Source
from indexer.synclog import RunRecord, SyncLog
from indexer.tally import Counts
from trials.indices import Names, ensure_indices
from trials.logs import log_context
from trials.model import write_version
from trials.registries import REGISTRIES
from trials.runs import RunStatus
from trials.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str, Counts, float], None]
ClientFor = Callable[[str], RegistryClient]
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
    status: RunStatus
    counts: Counts
    message: str | None
    duration_s: float

    @classmethod
    def of(cls, run: RunRecord) -> RunResult:
        counts = run.tally.counts
        return cls(run.run_id, run.source, run.status, counts, run.message, run.elapsed_s())


@dataclass(frozen=True)
class _Job:
    """What every step of one run reads."""

    es: AsyncElasticsearch
    settings: Settings
    names: Names
    run: RunRecord
    options: RunOptions
    progress: Progress | None
    source: Source | None  # given by a caller (tests, benchmarks); else built from the catalog


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
    lock, and `CancelledError` when its task is cancelled (the run ends `cancelled`); every
    other failure ends in the returned status and the sync log, never raised."""
    await ensure_indices(es, settings)
    names = Names.from_settings(settings)
    synclog = SyncLog(es, names.sync_log)
    run = RunRecord.begin(synclog, source_name, options.trigger, options.full)
    job = _Job(es, settings, names, run, options, progress, source)
    # every line logged during the run, by any logger and in any task it starts, names it
    with log_context(run_id=run.run_id, source=source_name):
        try:
            async with _locked(es, names, source_name, run.run_id, options.lock_ttl) as lock:
                await run.save()
                if on_started is not None:
                    on_started(run.run_id)
                with collector.during_run():
                    await _supervised(job, lock)
        finally:
            if run.finished is not None:  # the run happened (it was not refused its lock)
                _log_summary(run)
    return RunResult.of(run)


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


async def _supervised(job: _Job, lock: SourceLock) -> None:
    """The run's work beside its heartbeat. What the work lets through is cancellation
    (shutdown, Ctrl-C): the run ends `cancelled` and the cancellation goes on."""
    stop = asyncio.Event()
    beat = asyncio.create_task(_heartbeat(job.run, lock, job.options.heartbeat_s, stop))
    try:
        await _execute(job)
        await suggestions.after_run(job.es, job.names, job.run.tally.counts)  # for /suggest
    except BaseException:
        if job.run.finished is None:  # not already ended by a verb whose write was in flight
            await job.run.cancel()
        raise
    finally:
        # Stopped, not cancelled: a renewal cancelled in flight may reach the node with its
        # answer (the lock's new sequence number) lost, and the release would then fail.
        stop.set()
        await asyncio.shield(beat)


async def _heartbeat(run: RunRecord, lock: SourceLock, every_s: float, stop: asyncio.Event) -> None:
    """Saves the run's progress and pushes the lock's expiry forward until `stop`. A lock lost
    (expired and taken over, or deleted) is said once and not renewed again: the run goes on,
    its writes protected by external versioning."""
    held = True
    while not await _stopped(stop, every_s):
        try:
            await run.save()
            if held and not await lock.renew():
                held = False
                log.warning("%s: lost the lock of %s", run.run_id, run.source)
        except Exception:
            log.exception("%s: heartbeat failed", run.run_id)


async def _stopped(stop: asyncio.Event, within_s: float) -> bool:
    """Whether `stop` is set within `within_s` seconds."""
    try:
        await asyncio.wait_for(stop.wait(), within_s)
    except TimeoutError:
        return False
    return True


async def _execute(job: _Job) -> None:
    """prepare → sync → finish, then the verb that ends the run; a failure ends it `failed`."""
    run = job.run
    try:
        sink, last = await _prepare(job)
        async with _session(job.options, job.settings) as client_for:
            src = _source(job, client_for, last)
            batcher = _batcher(job, src, sink, _renormalizes(src, last))
            seen = await _sync(job, batcher)
            short = await finish(src, sink, seen, run.tally.counts)
            await sink.history_searchable()
    except SourceError as exc:
        run.tally.error("source", exc.cause)
        await run.fail(str(exc))
    except Exception as exc:  # the boundary of one run: record why, never crash the caller
        log.exception("%s failed", run.run_id)
        reason = f"{type(exc).__name__}: {exc}"
        run.tally.error("internal", reason)
        await run.fail(reason)
    else:
        await conclude(run, short, batcher.refresh.notes() if batcher.refresh else [])


async def _prepare(job: _Job) -> tuple[Sink, dict[str, Any] | None]:
    """Close dead runs, find the last completed run, choose the write version; the sink."""
    run, es, trials = job.run, job.es, job.names.trials

    def written(run_id: str, started_at: str) -> Any:
        return written_by(es, trials, run_id, started_at)

    closed = await run.synclog.close_dead(run.source, run.run_id, written)
    if closed:
        log.warning("closed dead run(s) of %s: %s", run.source, ", ".join(closed))
    last = await run.synclog.last_completed(run.source)
    version = await _version(run)
    now = run.started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    sink = Sink(es, trials, run.run_id, version, now, run.tally, history=job.names.history)
    await es.indices.refresh(index=trials)  # stored hashes are read by search
    sink.nothing_stored = await sink.holds_none_of(run.source)
    return sink, last


def _source(job: _Job, client_for: ClientFor, last: dict[str, Any] | None) -> Source:
    """The source, fetching what changed since the last completed run when it can, unless
    asked to read in full, or its normaliser changed (a fetch of changes only could not
    normalise the unchanged records again), or it reads another selection than that run did
    (the records the new one adds changed before that run, or never)."""
    since = _since(last, job.run.source, job.options.full)
    src = job.source or _build(job, client_for, since)
    # the selection first: its change is logged whether or not the normaliser changed too
    if since is not None and (_new_selection(src, last) or src.normalizer != _normalizer(last)):
        since, src = None, job.source or _build(job, client_for, None)
        job.run.full = True  # it reads in full, and counts as a full read (removals marked)
    job.run.cursor = since.isoformat() if since else None
    job.run.normalizer = src.normalizer
    job.run.selection = src.selection
    return src


def _new_selection(src: Source, last: dict[str, Any] | None) -> bool:
    """Whether `src` reads another selection than the last completed run did (logged)."""
    was = last.get("selection") if last else None
    if src.selection == was:
        return False
    log.info(
        "%s: the selection read changed (was %s, now `%s`): reading in full",
        src.name,
        "unrecorded" if was is None else f"`{was}`",
        src.selection,
    )
    return True


def _normalizer(last: dict[str, Any] | None) -> int | None:
    return int(last["normalizer"]) if last and last.get("normalizer") is not None else None


def _since(last: dict[str, Any] | None, source: str, full: bool) -> date | None:
    if full or not REGISTRIES[source].incremental or last is None:
        return None
    return (datetime.fromisoformat(last["started_at"]) - CURSOR_OVERLAP).date()


def _renormalizes(src: Source, last: dict[str, Any] | None) -> bool:
    """Whether this run normalises every record again: the last completed run wrote with
    another normaliser (or recorded none)."""
    before = _normalizer(last)
    if before == src.normalizer:
        return False
    if last is not None:
        log.info(
            "%s: normaliser %s, was %s: normalising every record again",
            src.name,
            src.normalizer,
            before,
        )
    return True


def _batcher(job: _Job, src: Source, sink: Sink, renormalize: bool) -> Batcher:
    settings, options = job.settings, job.options
    refresh = None
    if src.reads_details:
        refresh = DetailRefresh(
            settings.cris_detail_max_age_days,
            settings.cris_detail_rereads_per_run,
            job.run.started,
        )
    return Batcher(src, sink, job.run.tally, options.concurrency, renormalize, refresh)


async def _version(run: RunRecord) -> int:
    """See `trials.model.write_version`."""
    previous = await run.synclog.previous_start(run.source, run.run_id)
    return write_version(run.started, previous)


def _build(job: _Job, client_for: ClientFor, since: date | None) -> Source:
    options = job.options
    return build_source(
        job.run.source,
        job.settings,
        client_for,
        since=since,
        page_size=options.page_size,
        demo_count=options.demo_count,
    )


async def _sync(job: _Job, batcher: Batcher) -> SeenIds:
    """Fetch → batches → compare → write, reporting progress after each batch; the ids seen."""
    run, options = job.run, job.options

    async def step(batch: list[Listed]) -> None:
        await batcher.process(batch)
        if job.progress is not None:
            job.progress(run.source, run.tally.counts, run.elapsed_s())

    await in_flight(batches(batcher.source, options.batch_size), step, options.batches_in_flight)
    return batcher.seen


@asynccontextmanager
async def _session(options: RunOptions, settings: Settings) -> AsyncIterator[ClientFor]:
    http = options.http or HttpOptions.from_settings(settings)
    async with aiohttp.ClientSession(headers={"Accept": "application/json"}) as session:
        yield lambda name: RegistryClient(name, session, http)


def _log_summary(run: RunRecord) -> None:
    """The one line that ends each run, with the counts the sync log holds."""
    counts = run.tally.counts.as_dict()
    duration_ms = int(run.elapsed_s() * 1000)
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


async def run_sources(
    es: AsyncElasticsearch,
    settings: Settings,
    source_names: list[str],
    options: RunOptions = RunOptions(),
    progress: Progress | None = None,
    *,
    full: Collection[str] = (),
) -> list[RunResult | BaseException]:
    """Run several sources at once, those in `full` reading in full; one failing (or locked)
    source never stops the others."""
    await ensure_indices(es, settings)  # once, before the runs race to create the same indices

    def chosen(name: str) -> RunOptions:
        return replace(options, full=True) if name in full else options

    runs = [run_source(es, settings, n, chosen(n), progress=progress) for n in source_names]
    return list(await asyncio.gather(*runs, return_exceptions=True))
