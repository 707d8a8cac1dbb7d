"""The `SyncLauncher` the service's admin endpoint uses: starts background runs and answers
with their run ids as soon as each run's sync-log document exists."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence

from elasticsearch import AsyncElasticsearch

from indexer.catalog import check_names
from indexer.run import RunOptions, run_source
from trials.indices import ensure_indices
from trials.launcher import SyncLauncher
from trials.settings import Settings

log = logging.getLogger(__name__)


def make_launcher(
    settings: Settings, es: AsyncElasticsearch, options: RunOptions | None = None
) -> SyncLauncher:
    tasks: set[asyncio.Task[object]] = set()  # strong references until each run ends
    base = options or RunOptions(trigger="api")
    creating = asyncio.Lock()

    async def start_one(source: str, full: bool) -> str:
        started: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_started(run_id: str) -> None:
            if not started.done():
                started.set_result(run_id)

        async def run() -> object:
            try:
                chosen = dataclasses.replace(base, trigger="api", full=full)
                return await run_source(es, settings, source, chosen, on_started=on_started)
            except BaseException as exc:
                if not started.done():
                    started.set_exception(exc)  # SyncAlreadyRunning reaches the caller
                elif not isinstance(exc, asyncio.CancelledError):  # its summary says cancelled
                    ids = {"run_id": started.result(), "source": source}
                    log.exception("background sync of %s failed", source, extra=ids)
                raise

        task = asyncio.create_task(run(), name=f"sync-{source}")
        tasks.add(task)
        task.add_done_callback(_forget(tasks))
        return await started

    async def launch(sources: Sequence[str], full: bool) -> list[str]:
        check_names(list(sources))
        async with creating:  # runs started at once would each create the missing indices
            await ensure_indices(es, settings)
        return [await start_one(source, full) for source in sources]

    return launch


def _forget(tasks: set[asyncio.Task[object]]) -> Callable[[asyncio.Task[object]], None]:
    def done(task: asyncio.Task[object]) -> None:
        tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here so asyncio does not log it as never retrieved

    return done
