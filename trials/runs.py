"""The states of a sync run, shared by the indexer (which writes them to the sync log) and the
service (which filters and documents them)."""

from __future__ import annotations

from typing import Literal, get_args

RunStatus = Literal["running", "completed", "partial", "failed", "cancelled"]
RUN_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
FINAL_STATUSES: tuple[RunStatus, ...] = tuple(s for s in RUN_STATUSES if s != "running")
