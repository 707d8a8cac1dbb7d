"""One lock document per source in `Names.locks`, so two runs of a source never overlap, in one
process or across processes and machines.

Taken with `op_type=create` (only one creator wins); it carries an expiry the holder keeps
pushing forward. A lock whose expiry passed, or whose holder on this host is a dead process, is
taken over with a compare-and-set on `_seq_no`/`_primary_term`, so only one taker wins.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch, ConflictError, NotFoundError

from trials.launcher import SyncAlreadyRunning
from trials.model import utc_iso

log = logging.getLogger(__name__)
ACQUIRE_ATTEMPTS = 5


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

    async def _write(self, **condition: Any) -> Any:
        """Our lock document, written only under `condition` (create, or this sequence
        number); never to an index ES would create in place of a missing alias."""
        return await self.es.index(
            index=self.alias, id=self.source, document=self._body(), require_alias=True, **condition
        )

    async def acquire(self) -> None:
        """Create the lock, or take over an abandoned one. The holder may release it (or
        another taker win it) between any two of our requests; then we look again."""
        for _ in range(ACQUIRE_ATTEMPTS):
            done: Any
            try:
                done = await self._write(op_type="create", refresh=True)
            except ConflictError:
                done = await self._take_over()
                if done is None:
                    continue
            self.seq_no, self.primary_term = done["_seq_no"], done["_primary_term"]
            return
        raise SyncAlreadyRunning(self.source, "the lock kept changing hands; try again")

    async def _take_over(self) -> Any | None:
        """The takeover's result, or None when the lock changed meanwhile (look again)."""
        try:
            held = await self.es.get(index=self.alias, id=self.source)
        except NotFoundError:  # released since our create failed
            return None
        if not _abandoned(held["_source"], datetime.now(UTC)):
            raise SyncAlreadyRunning(self.source, str(held["_source"].get("owner")))
        try:
            return await self._write(
                if_seq_no=held["_seq_no"], if_primary_term=held["_primary_term"], refresh=True
            )
        except ConflictError:  # another taker won, or the holder released it: look again
            return None

    async def renew(self) -> bool:
        """Push the expiry forward; False when the lock is no longer ours."""
        try:
            done = await self._write(if_seq_no=self.seq_no, if_primary_term=self.primary_term)
        except (ConflictError, NotFoundError):
            return False
        self.seq_no, self.primary_term = done["_seq_no"], done["_primary_term"]
        return True

    async def release(self) -> bool:
        """Delete the lock if it is still ours; False (and a log line) when it is gone or
        taken over after our expiry passed, which is not an error: the run's writes are
        protected by external versioning, not by the lock."""
        try:
            await self.es.delete(
                index=self.alias,
                id=self.source,
                if_seq_no=self.seq_no,
                if_primary_term=self.primary_term,
                refresh=True,
            )
        except (ConflictError, NotFoundError) as exc:
            log.warning(
                "%s: the lock of %s was no longer ours at release (%s: deleted or taken over)",
                self.run_id,
                self.source,
                type(exc).__name__,
                extra={"run_id": self.run_id, "source": self.source},
            )
            return False
        return True
