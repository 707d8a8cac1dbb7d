"""The contract between the service's admin endpoint and the indexer, which never import each
other: the CLI builds a launcher from `indexer` and hands it to `service.app.create_app`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from trials.registries import SOURCE_NAMES

__all__ = ["SOURCE_NAMES", "TRIGGERS", "SyncAlreadyRunning", "SyncLauncher", "UnknownSource"]

TRIGGERS = ("cli", "schedule", "api")


class SyncAlreadyRunning(RuntimeError):
    """Another run of this source holds its lock (in this or another process)."""

    def __init__(self, source: str, owner: str) -> None:
        super().__init__(f"a sync of {source!r} is already running ({owner})")
        self.source = source
        self.owner = owner


class UnknownSource(ValueError):
    """A source name that is not in SOURCE_NAMES."""


# Starts one background run per source and returns their run ids as soon as each run's
# sync-log document exists (status "running"). Raises SyncAlreadyRunning or UnknownSource.
SyncLauncher = Callable[[Sequence[str], bool], Awaitable[list[str]]]
