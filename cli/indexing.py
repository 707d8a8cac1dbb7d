"""Indexing commands: `trials index`, `trials schedule`, `trials reindex`, `trials runs`.
The indexer is imported inside each command, never when the CLI loads."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from cli.common import CommandError, add_command, add_json_flag, aligned, print_json
from trials.registries import SOURCE_NAMES
from trials.settings import Settings

if TYPE_CHECKING:
    from elasticsearch import AsyncElasticsearch, NotFoundError

    from indexer.run import RunResult
    from indexer.tally import Counts

T = TypeVar("T")


def register(commands: Any) -> None:
    index = add_command(commands, "index", "Sync registries into Elasticsearch")
    index.add_argument(
        "--source",
        action="append",
        choices=SOURCE_NAMES,
        help="a source to sync (repeatable); default: icreat, cris, ctgov with a key, else demo",
    )
    index.add_argument(
        "--full",
        action="store_true",
        help="fetch everything, not only what changed since the "
        "last run (also marks records gone upstream as removed)",
    )
    add_json_flag(index)
    index.set_defaults(handler=index_command)

    schedule = add_command(
        commands,
        "schedule",
        "Run the sync on TRIALS_SCHEDULE, full reads on TRIALS_FULL_SCHEDULE (Asia/Seoul)",
    )
    schedule.set_defaults(handler=schedule_command)

    reindex = add_command(commands, "reindex", "Rebuild the trials index from mappings/")
    reindex.add_argument("--keep-old", action="store_true", help="do not delete the old index")
    reindex.set_defaults(handler=reindex_command)

    runs = add_command(commands, "runs", "List recent sync runs from the sync log")
    runs.add_argument("--source", choices=SOURCE_NAMES, help="only runs of this source")
    runs.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    add_json_flag(runs)
    runs.set_defaults(handler=runs_command)


def _with_es(
    settings: Settings, job: Callable[[AsyncElasticsearch], Awaitable[T]], *, probe: bool = True
) -> T:
    """`job` with a client; an Elasticsearch failure becomes one CLI line and exit 1. With
    `probe`, a node that is down is named before the job starts."""
    from elasticsearch import ApiError, TransportError

    from trials.es import make_client

    async def main() -> T:
        es = make_client(settings)
        try:
            if probe:
                await _reachable(es)
            return await job(es)
        finally:
            await es.close()

    try:
        return asyncio.run(main())
    except (ApiError, TransportError) as exc:
        raise _es_failure(settings, exc) from exc


class ProgressLines:
    """Progress of every source on stderr (records, rate): one line rewritten in place on a
    terminal, else a plain line per source every few seconds (logs stay readable)."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.tty = sys.stderr.isatty()
        self.every_s = 0.2 if self.tty else every_s
        self.last: dict[str, float] = {}
        self.shown: dict[str, str] = {}

    def __call__(self, source: str, counts: Counts, elapsed_s: float) -> None:
        rate = counts.fetched / elapsed_s if elapsed_s > 0 else 0.0
        self.shown[source] = f"{source} {counts.fetched:,} records {rate:,.0f}/s"
        now = time.monotonic()
        if now - self.last.get(source, 0.0) < self.every_s:
            return
        self.last[source] = now
        if self.tty:
            print("\r\033[K" + " | ".join(self.shown.values()), end="", file=sys.stderr)
        else:
            print(self.shown[source], file=sys.stderr)


def summary_columns() -> tuple[str, ...]:
    """The counts a run summary shows, in `Counts` order; `history` counts history documents,
    not records, so it is left out."""
    from indexer.tally import Counts  # the indexer loads only when a command runs

    return tuple(f.name for f in dataclasses.fields(Counts) if f.name != "history")


def _summary(results: list[RunResult | BaseException], sources: list[str]) -> str:
    """The table `trials index` ends with: one row per source, counts right-aligned."""
    columns = summary_columns()
    rows = [["source", "status", *columns, "seconds"]]
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):
            rows.append([source, "not run", *["-"] * len(columns), "-"])
            continue
        counts = result.counts.as_dict()
        rows.append(
            [
                source,
                result.status,
                *(f"{counts[c]:,}" for c in columns),
                f"{result.duration_s:.1f}",
            ]
        )
    return aligned(rows, right=range(2, len(rows[0])))


def _summary_document(
    results: list[RunResult | BaseException], sources: list[str], ok: bool
) -> dict[str, Any]:
    """`trials index --json`: `ok` (the exit code's meaning) and one entry per source."""
    entries: list[dict[str, Any]] = []
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):
            entries.append({"source": source, "status": "not run", "error": _describe(result)})
            continue
        entries.append(
            {
                "source": source,
                "status": result.status,
                "run_id": result.run_id,
                "counts": result.counts.as_dict(),
                "duration_s": round(result.duration_s, 3),
                "message": result.message,
            }
        )
    return {"ok": ok, "sources": entries}


def index_command(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.catalog import default_sources
    from indexer.run import RunOptions, run_sources

    sources = list(dict.fromkeys(args.source or default_sources(settings)))
    options = RunOptions(trigger="cli", full=args.full)
    progress = ProgressLines()

    async def job(es: AsyncElasticsearch) -> list[RunResult | BaseException]:
        return await run_sources(es, settings, sources, options, progress)

    results = _with_es(settings, job)
    if progress.tty:
        print(file=sys.stderr)
    ok = True
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):
            print(f"trials: {source} was not run: {_describe(result)}", file=sys.stderr)
            ok = False
        elif result.status != "completed":
            print(
                f"trials: {source} {result.status}: {result.message} (run {result.run_id})",
                file=sys.stderr,
            )
            ok = False
    if args.json:
        print_json(_summary_document(results, sources, ok))
    else:
        print(_summary(results, sources))
    return 0 if ok else 1


async def _reachable(es: AsyncElasticsearch) -> None:
    """One request without retries, and without the client's warnings (a retried request logs
    its traceback), so a node that is down costs one line and no wait."""
    transport_log = logging.getLogger("elastic_transport")
    level = transport_log.level
    transport_log.setLevel(logging.CRITICAL)
    try:
        await es.options(max_retries=0, request_timeout=10).cluster.health()
    finally:
        transport_log.setLevel(level)


def _es_failure(settings: Settings, exc: Exception) -> CommandError:
    from elasticsearch import NotFoundError, TransportError

    hosts = ", ".join(settings.es_hosts)
    if isinstance(exc, TransportError):
        return CommandError(
            f"Elasticsearch at {hosts} is unreachable ({type(exc).__name__}); "
            "is the node running? (`trials es start`)"
        )
    missing = _missing_index(exc) if isinstance(exc, NotFoundError) else None
    if missing:
        return CommandError(
            f"{missing} does not exist at {hosts}; create the indices with `trials es init`"
        )
    return CommandError(f"Elasticsearch at {hosts} refused the request: {exc}")


def _missing_index(exc: NotFoundError) -> str | None:
    error = exc.body.get("error") if isinstance(exc.body, dict) else None
    if isinstance(error, dict) and error.get("type") == "index_not_found_exception":
        return str(error.get("index"))
    return None


def _describe(exc: BaseException) -> str:
    from elasticsearch import ConnectionError as EsConnectionError

    if isinstance(exc, EsConnectionError):
        return "Elasticsearch is unreachable (is the node running? `trials es start`)"
    return str(exc) or type(exc).__name__


def schedule_command(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.schedule import FULL_JOB_ID, build_scheduler, cron_of

    crons = {"TRIALS_SCHEDULE": settings.schedule, "TRIALS_FULL_SCHEDULE": settings.full_schedule}
    for name, expression in crons.items():
        try:
            cron_of(expression)
        except ValueError as exc:
            raise CommandError(f"{name}={expression!r}: {exc}", 2) from exc

    async def serve(es: AsyncElasticsearch) -> int:
        scheduler = build_scheduler(settings, es)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        scheduler.start()
        job, full = scheduler.get_job("sync"), scheduler.get_job(FULL_JOB_ID)
        print(f"trials: next sync at {job.next_run_time if job else '?'}", file=sys.stderr)
        print(f"trials: next full read at {full.next_run_time if full else '?'}", file=sys.stderr)
        await stop.wait()
        scheduler.shutdown(wait=False)
        return 0

    return _with_es(settings, serve, probe=False)  # a node down now may be up at the hour


def reindex_command(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.reindex import NothingToReindex, reindex
    from trials.launcher import SyncAlreadyRunning

    try:
        result = _with_es(settings, lambda es: reindex(es, settings, delete_old=not args.keep_old))
    except SyncAlreadyRunning as exc:
        raise CommandError(f"{exc}; try again when it has finished") from exc
    except NothingToReindex as exc:
        raise CommandError(
            f"{exc.alias} does not exist at {', '.join(settings.es_hosts)}: nothing to rebuild "
            "(create the indices with `trials es init`, fill them with `trials index`)"
        ) from exc
    if result.failed:
        raise CommandError(
            f"{result.failed} document(s) could not be copied into {result.new_index}; "
            "the alias still points at the old index"
        )
    print(
        f"copied {result.copied:,} documents into {result.new_index}; "
        f"left {', '.join(result.old_indices) or 'nothing'}"
    )
    return 0


def runs_command(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.synclog import SyncLog
    from trials.indices import Names

    if args.limit < 1:
        raise CommandError("--limit must be at least 1", 2)
    alias = Names.from_settings(settings).sync_log
    runs = _with_es(settings, lambda es: SyncLog(es, alias).recent(args.source, args.limit))
    if args.json:
        print_json({"runs": runs})
    elif runs:
        print(runs_table(runs))
    else:
        print("no sync runs yet", file=sys.stderr)
    return 0


RUNS_HEADER = ("run_id", "source", "trigger", "status", "started", "seconds", "counts", "message")


def runs_table(runs: list[dict[str, Any]]) -> str:
    """Sync-log documents as `trials runs` shows them: newest first, one aligned row each;
    counts as `name=n` for the non-zero ones, times in UTC to the second."""
    rows, columns = [list(RUNS_HEADER)], summary_columns()
    for run in runs:
        counts = run.get("counts") or {}
        duration_ms = run.get("duration_ms")
        rows.append(
            [
                str(run.get("run_id", "-")),
                str(run.get("source", "-")),
                str(run.get("trigger", "-")),
                str(run.get("status", "-")),
                _utc_second(run.get("started_at")),
                "-" if duration_ms is None else f"{duration_ms / 1000:.1f}",
                " ".join(f"{c}={counts[c]:,}" for c in columns if counts.get(c)) or "-",
                " ".join(str(run.get("message") or "").split()),  # one line per run
            ]
        )
    return aligned(rows, right={RUNS_HEADER.index("seconds")})


def _utc_second(stamp: object) -> str:
    """`2026-12-02T03:00:01.123456+00:00` → `2026-12-02T03:00:01Z`; anything else as it is."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp or "-")
    if moment.tzinfo is None:
        return str(stamp)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
