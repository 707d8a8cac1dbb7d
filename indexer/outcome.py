"""How a run that went through ends: tombstones after a complete full fetch, then `completed`,
or `partial` when the read fell short (a capped page, fewer records than the registry
reported: nothing is marked removed) or some records failed."""

from __future__ import annotations

from indexer.seen import SeenIds
from indexer.sink import Sink
from indexer.sources.base import Source
from indexer.synclog import RunRecord
from indexer.tally import Counts


async def finish(src: Source, sink: Sink, seen: SeenIds, counts: Counts) -> list[str]:
    """Mark removed what a complete full fetch no longer lists; what fell short, if it did
    (then none is marked removed)."""
    if src.shortfall:
        return [f"{src.shortfall}; read {counts.fetched} records, none was marked removed"]
    reported = src.reported_total
    if reported is not None and counts.fetched < reported:
        # pages shifted under the crawl, or it stopped early: a missing record may be unread
        return [
            f"read {counts.fetched} of the {reported} records the registry reported, "
            "so none was marked removed"
        ]
    if src.full_fetch:  # an incremental fetch says nothing about records it did not ask for
        await sink.tombstone(src.name, seen, _live_seen(counts))
    return []


async def conclude(run: RunRecord, short: list[str], notes: list[str]) -> None:
    """End the run `completed`, or `partial` when the read fell short (`short`) or records
    failed (the next run retries them); `notes` say what the run chose not to do."""
    problems = list(short)
    if failed := run.tally.counts.failed:
        problems.append(f"{failed} record(s) failed; they are retried next run")
    if problems:
        await run.partial([*problems, *notes])
    else:
        await run.complete(notes)


def _live_seen(counts: Counts) -> int | None:
    """How many fetched records are now live documents, when every outcome tells (a stale,
    failed or rejected record may or may not have a live document)."""
    if counts.stale or counts.failed or counts.rejected:
        return None
    written = counts.created + counts.updated + counts.renormalized + counts.restored
    return written + counts.unchanged
