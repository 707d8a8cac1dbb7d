"""One lock document per source in `Names.locks`, so two runs of a source never overlap, in one
process or across processes and machines.

Taken with `op_type=create` (only one creator wins); it carries an expiry the holder keeps
pushing forward. A lock whose expiry passed, or whose holder on this host is a dead process, is
taken over with a compare-and-set on `_seq_no`/`_primary_term`, so only one taker wins.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch, ConflictError, NotFoundError

from trials.model import utc_iso
from trials.syncapi import SyncAlreadyRunning


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(run_id: str) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{run_id}"


def _abandoned(body: dict[str, Any], now: datetime) -> bool:
    if datetime.fromisoformat(body["expires_at"]) <= now:
        return True
    host, _, rest = str(body.get("owner", "")).partition(":")
    pid_text = rest.partition(":")[0]
    same_host = host == socket.gethostname()
    return same_host and pid_text.isdigit() and not _alive(int(pid_text))


@dataclass
class SourceLock:
    es: AsyncElasticsearch
    alias: str
    source: str
    run_id: str
    ttl: timedelta
    seq_no: int = -1
    primary_term: int = -1

    def _body(self) -> dict[str, Any]:
        now = datetime.now(UTC)
        return {
            "owner": _owner(self.run_id),
            "run_id": self.run_id,
            "acquired_at": utc_iso(now),
            "expires_at": utc_iso(now + self.ttl),
        }

    async def acquire(self) -> None:
        try:
            done = await self.es.index(
                index=self.alias,
                id=self.source,
                document=self._body(),
                op_type="create",
                refresh=True,
            )
        except ConflictError:
            done = await self._take_over()
        self.seq_no, self.primary_term = done["_seq_no"], done["_primary_term"]

    async def _take_over(self) -> Any:
        held = await self.es.get(index=self.alias, id=self.source)
        if not _abandoned(held["_source"], datetime.now(UTC)):
            raise SyncAlreadyRunning(self.source, str(held["_source"].get("owner")))
        try:
            return await self.es.index(
                index=self.alias,
                id=self.source,
                document=self._body(),
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
                refresh=True,
            )
        except ConflictError:
            raise SyncAlreadyRunning(self.source, "another run took over the lock") from None

    async def renew(self) -> bool:
        """Push the expiry forward; False when the lock is no longer ours."""
        try:
            done = await self.es.index(
                index=self.alias,
                id=self.source,
                document=self._body(),
                if_seq_no=self.seq_no,
                if_primary_term=self.primary_term,
            )
        except (ConflictError, NotFoundError):
            return False
        self.seq_no, self.primary_term = done["_seq_no"], done["_primary_term"]
        return True

    async def release(self) -> None:
        # after a takeover (our expiry passed) the lock is no longer ours to delete
        with contextlib.suppress(ConflictError, NotFoundError):
            await self.es.delete(
                index=self.alias,
                id=self.source,
                if_seq_no=self.seq_no,
                if_primary_term=self.primary_term,
                refresh=True,
            )
