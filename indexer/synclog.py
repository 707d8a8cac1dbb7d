"""The sync log: one document per run per source (`Names.sync_log`), and the run record that
writes it: `save` at the start and on each heartbeat, then one verb — `complete`, `partial`,
`fail` or `cancel` — whose write is the document's last.

A run that died (killed process, lost machine) leaves its document `running`; the next run of
that source, once it holds the source's lock, closes it as `failed`, with the counts and ids of
what it wrote read back from the trial documents (`indexer.reconcile`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan

from indexer.reconcile import Written, reconciled
from indexer.tally import Tally
from trials.model import utc_iso
from trials.runs import RunStatus

log = logging.getLogger(__name__)
CANCELLED = "cancelled before it finished"
# What a dead run wrote: (run id, its started_at as logged) → its writes.
WrittenBy = Callable[[str, str], Awaitable[Written]]


class RunAlreadyEnded(Exception):
    """A verb was called on a run that a verb had already ended (a run ends once)."""


def new_run_id(source: str, started: datetime) -> str:
    return f"{source}-{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunRecord:
    """One run as its sync-log document says it. Writes are one at a time, so a heartbeat's
    save in flight lands before the final write, and none is made after it."""

    synclog: SyncLog = field(repr=False)
    run_id: str
    source: str
    trigger: str
    full: bool
    started: datetime
    tally: Tally = field(default_factory=Tally)
    status: RunStatus = "running"
    message: str | None = None
    finished: datetime | None = None
    cursor: str | None = None  # what an incremental fetch started from (ctgov: a date)
    normalizer: int | None = None  # the source's normaliser version this run wrote with
    selection: str | None = None  # what the source read (`Source.selection`)
    _writing: asyncio.Lock = field(
        default_factory=asyncio.Lock, init=False, repr=False, compare=False
    )

    @classmethod
    def begin(cls, synclog: SyncLog, source: str, trigger: str, full: bool) -> RunRecord:
        """A new run of `source`, started now (not yet written: `save` writes it)."""
        started = datetime.now(UTC)
        return cls(synclog, new_run_id(source, started), source, trigger, full, started)

    async def save(self) -> None:
        """Write the document as it stands (the start, then the heartbeat's progress); raises
        when the write fails. Does nothing once a verb has ended the run."""
        async with self._writing:
            if self.finished is None:
                await self.synclog.save(self)

    async def complete(self, notes: Sequence[str] = ()) -> None:
        """Every record fetched was handled; `notes` say what the run chose not to do."""
        await self._end("completed", "; ".join(notes) or None)

    async def partial(self, notes: Sequence[str]) -> None:
        """The run went through, but its read fell short (nothing was marked removed) or some
        records failed (they are retried next run)."""
        await self._end("partial", "; ".join(notes) or None)

    async def fail(self, reason: str) -> None:
        await self._end("failed", reason)

    async def cancel(self) -> None:
        """Its task was cancelled (shutdown, Ctrl-C)."""
        await self._end("cancelled", CANCELLED)

    def elapsed_s(self) -> float:
        """Seconds from the start to the end, or to now while the run goes on."""
        return ((self.finished or datetime.now(UTC)) - self.started).total_seconds()

    async def _end(self, status: RunStatus, message: str | None) -> None:
        if self.finished is not None:
            raise RunAlreadyEnded(f"{self.run_id} already ended {self.status}")
        self.status, self.message, self.finished = status, message, datetime.now(UTC)
        await asyncio.shield(self._final_write())  # a second cancellation must not lose it

    async def _final_write(self) -> None:
        """The run's last save. When the node is gone, the run still ends (with the reason in
        its message) rather than raising; the next run closes the document left `running`."""
        async with self._writing:
            try:
                await self.synclog.save(self)
            except Exception as exc:
                log.warning("%s: could not record the end of the run", self.run_id, exc_info=True)
                note = f"the sync log could not be updated ({type(exc).__name__})"
                self.message = f"{self.message}; {note}" if self.message else note

    def document(self, now: datetime) -> dict[str, Any]:
        body: dict[str, Any] = {
            "run_id": self.run_id,
            "source": self.source,
            "trigger": self.trigger,
            "status": self.status,
            "full": self.full,
            "started_at": utc_iso(self.started),
            "heartbeat_at": utc_iso(now),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            **self.tally.document(),
        }
        if self.message:
            body["message"] = self.message
        if self.cursor:
            body["cursor"] = self.cursor
        if self.normalizer is not None:
            body["normalizer"] = self.normalizer
        if self.selection is not None:
            body["selection"] = self.selection
        if self.finished is not None:
            body["finished_at"] = utc_iso(self.finished)
            body["duration_ms"] = int(self.elapsed_s() * 1000)
        return body


def _status_is(status: RunStatus) -> dict[str, Any]:
    return {"term": {"status": status}}


def _closed(body: dict[str, Any], closer: str) -> dict[str, Any]:
    """A dead run's document, ended `failed` now by the run `closer`."""
    now = datetime.now(UTC)
    started = datetime.fromisoformat(body["started_at"])
    last = body.get("heartbeat_at", body["started_at"])
    status: RunStatus = "failed"
    return body | {
        "status": status,
        "finished_at": utc_iso(now),
        "duration_ms": int((now - started).total_seconds() * 1000),
        "message": f"run died (last heartbeat {last}); closed by {closer}",
    }


class SyncLog:
    def __init__(self, es: AsyncElasticsearch, alias: str) -> None:
        self.es = es
        self.alias = alias

    async def save(self, run: RunRecord) -> None:
        """Write the whole run document (start, heartbeat and finish all use this)."""
        now = datetime.now(UTC)
        await self.es.index(
            index=self.alias,
            id=run.run_id,
            document=run.document(now),
            refresh=True,
            require_alias=True,
        )

    async def close_dead(
        self, source: str, current_run_id: str, written_by: WrittenBy | None = None
    ) -> list[str]:
        """Close as `failed` every `running` run of `source` but ours, its counts and ids
        completed from `written_by`. Only called while holding the source's lock, so any other
        `running` document belongs to a run that died (and no run wrote since)."""
        query = {
            "bool": {
                "filter": [{"term": {"source": source}}, _status_is("running")],
                "must_not": [{"term": {"run_id": current_run_id}}],
            }
        }
        closed = []
        async for hit in async_scan(self.es, index=self.alias, query={"query": query}):
            body = _closed(hit["_source"], current_run_id)
            if written_by is not None:
                body = reconciled(body, await written_by(hit["_id"], body["started_at"]))
            await self.es.index(
                index=self.alias, id=hit["_id"], document=body, refresh=True, require_alias=True
            )
            closed.append(hit["_id"])
        return closed

    async def recent(self, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"term": {"source": source}} if source else {"match_all": {}}
        found = await self.es.search(
            index=self.alias, query=query, sort=[{"started_at": "desc"}], size=limit
        )
        return [hit["_source"] for hit in found["hits"]["hits"]]

    async def previous_start(self, source: str, current_run_id: str) -> datetime | None:
        """When the latest other run of `source` started (its writes carry that version)."""
        query = {
            "bool": {
                "filter": [{"term": {"source": source}}],
                "must_not": [{"term": {"run_id": current_run_id}}],
            }
        }
        found = await self.es.search(
            index=self.alias, query=query, sort=[{"started_at": "desc"}], size=1
        )
        hits = found["hits"]["hits"]
        return datetime.fromisoformat(hits[0]["_source"]["started_at"]) if hits else None

    async def last_completed(self, source: str, *, full: bool = False) -> dict[str, Any] | None:
        """The latest `completed` run of `source` (`full`: of those asked to read in full)."""
        filters = [{"term": {"source": source}}, _status_is("completed")]
        if full:
            filters.append({"term": {"full": True}})
        query = {"bool": {"filter": filters}}
        found = await self.es.search(
            index=self.alias, query=query, sort=[{"started_at": "desc"}], size=1
        )
        hits = found["hits"]["hits"]
        return hits[0]["_source"] if hits else None
