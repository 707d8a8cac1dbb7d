"""The sync log: one document per run per source (`Names.sync_log`), written `running` at the
start, refreshed by a heartbeat, and closed `completed` / `partial` / `failed` at the end.

A run that died (killed process, lost machine) leaves its document `running`; the next run of
that source, once it holds the source's lock, closes it as `failed`.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan

from indexer.tally import Tally
from trials.model import utc_iso


@dataclass
class RunRecord:
    run_id: str
    source: str
    trigger: str
    full: bool
    started: datetime
    tally: Tally
    status: str = "running"
    message: str | None = None
    finished: datetime | None = None
    cursor: str | None = None  # what an incremental fetch started from (ctgov: a date)

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
        if self.finished is not None:
            body["finished_at"] = utc_iso(self.finished)
            body["duration_ms"] = int((self.finished - self.started).total_seconds() * 1000)
        return body


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

    async def close_dead(self, source: str, current_run_id: str) -> list[str]:
        """Close as `failed` every `running` run of `source` but ours. Only called while holding
        the source's lock, so any other `running` document belongs to a run that died."""
        query = {
            "bool": {
                "filter": [{"term": {"source": source}}, {"term": {"status": "running"}}],
                "must_not": [{"term": {"run_id": current_run_id}}],
            }
        }
        closed = []
        async for hit in async_scan(self.es, index=self.alias, query={"query": query}):
            body = hit["_source"]
            now = datetime.now(UTC)
            started = datetime.fromisoformat(body["started_at"])
            last = body.get("heartbeat_at", body["started_at"])
            body.update(
                status="failed",
                finished_at=utc_iso(now),
                duration_ms=int((now - started).total_seconds() * 1000),
                message=f"run died (last heartbeat {last}); closed by {current_run_id}",
            )
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

    async def last_completed(self, source: str) -> dict[str, Any] | None:
        query = {
            "bool": {"filter": [{"term": {"source": source}}, {"term": {"status": "completed"}}]}
        }
        found = await self.es.search(
            index=self.alias, query=query, sort=[{"started_at": "desc"}], size=1
        )
        hits = found["hits"]["hits"]
        return hits[0]["_source"] if hits else None
