"""The documents a sync writes for generated records (`synced_document`; the CT.gov studies of
`testkit.synthetic_ctgov`: `study_document`), built as the pipeline builds them (normalised,
tagged, hashed), for benchmarks that write them without a sync: a raw `_bulk` baseline,
storage layouts."""

from __future__ import annotations

from functools import cache
from typing import Any

from indexer.pipeline import normalized
from indexer.sink import document_hash
from indexer.sources.base import Raw, Source
from indexer.sources.ctgov import CtgovSource
from indexer.tagging import tag
from testkit.synthetic_ctgov import ctgov_study
from trials.model import content_hash


@cache
def _source() -> CtgovSource:
    return CtgovSource(None, "", "")  # type: ignore[arg-type]  # normalising never fetches


def study_document(
    index: int, *, now: str, run_id: str, last_change: str | None = None
) -> dict[str, Any]:
    """The `_source` of generated study `index`, written at `now` by run `run_id`."""
    return synced_document(
        _source(), ctgov_study(index), now=now, run_id=run_id, last_change=last_change
    )


def synced_document(
    source: Source, raw: Raw, *, now: str, run_id: str, last_change: str | None = None
) -> dict[str, Any]:
    """The `_source` a sync writes for `source`'s record `raw`, at `now`, by run `run_id`."""
    trial = tag(normalized(source, raw))
    trial.content_hash = content_hash(source.hashed_content(raw))
    body = trial.document(first_seen_at=now, changed_at=now, run_id=run_id, last_change=last_change)
    body["document_hash"] = document_hash(body)
    return body
