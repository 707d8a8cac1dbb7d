"""How a run that went through ends: tombstones after a complete full fetch (or the note why
none were written), then `completed`, or `partial` when some records failed."""

from __future__ import annotations

from indexer.sink import Sink
from indexer.sources.base import Source
from indexer.synclog import RunRecord
from indexer.tally import Counts


async def finish(src: Source, sink: Sink, seen: set[str], counts: Counts) -> list[str]:
    """Mark removed what a complete full fetch no longer lists; the notes of what was not done."""
    if not src.full_fetch:
        return []  # an incremental fetch says nothing about records it did not ask for
    reported = src.reported_total
    if reported is not None and counts.fetched < reported:
        # pages shifted under the crawl: a missing record may only have been skipped
        return [
            f"read {counts.fetched} of the {reported} records the registry reported, "
            "so none was marked removed"
        ]
    await sink.tombstone(src.name, seen, _live_seen(counts))
    return []


async def conclude(run: RunRecord, notes: list[str]) -> None:
    """End the run `completed`, or `partial` when records failed (the next run retries them)."""
    failed = run.tally.counts.failed
    if failed:
        await run.partial([*notes, f"{failed} record(s) failed; they are retried next run"])
    else:
        await run.complete(notes)


def _live_seen(counts: Counts) -> int | None:
    """How many fetched records are now live documents, when every outcome tells (a stale,
    failed or rejected record may or may not have a live document)."""
    if counts.stale or counts.failed or counts.rejected:
        return None
    return counts.created + counts.updated + counts.unchanged + counts.restored
