"""The protocol every source implements. Sources only read and interpret their registry; the
run (`indexer.run`) decides what to write and the sink (`indexer.sink`) writes it."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from indexer.errors import RecordRejected
from trials.model import Trial

Raw = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Served:
    """A record as the registry served it, not decoded yet: its registry id, read from its
    bytes without decoding the rest, and the digest of the bytes. A record whose stored
    `served_hash` is that digest is unchanged without being decoded or hashed: decoding was
    two thirds of an unchanged full read's time (CT.gov: pages of 1,000 studies, ~11 MB)."""

    registry_id: str
    body: bytes
    digest: str

    @classmethod
    def of(cls, registry_id: str, body: bytes) -> Served:
        return cls(registry_id, body, hashlib.sha256(body).hexdigest())

    def decoded(self) -> Raw:
        try:
            value = orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise RecordRejected(f"not JSON: {exc}") from None
        if not isinstance(value, dict):
            raise RecordRejected(f"not an object: {type(value).__name__}")
        return value


Listed = Raw | Served  # what `fetch` yields


class Source(Protocol):
    """Everything the run and the pipeline read from a source; nothing is probed with getattr."""

    name: str  # its row in `trials.registries`
    # What the registry said it holds, once read; None when it does not say. A full fetch that
    # read fewer records marks none removed (pages may have shifted under the crawl).
    reported_total: int | None
    # Whether this fetch reads everything, so a record it did not see is gone upstream.
    full_fetch: bool
    # Why the fetch stopped before the end, once fetched (a page capped by the gateway); None
    # when it read on to the end. A run with a shortfall ends `partial` and marks none removed.
    shortfall: str | None
    # The version of `normalize`: bump it when a change to `normalize` changes documents. The
    # next run then normalises every record again, unchanged ones too, and rewrites exactly
    # the documents that differ (counted `renormalized`); the sync log keeps the version.
    normalizer: int
    # What the source reads, apart from the time it reads from ("" = every record; ctgov: its
    # query, canonical). A run reads only what changed since the last completed run that read
    # the same selection; after a change (TRIALS_CTGOV_QUERY emptied for the whole registry),
    # it reads in full, or the records the new selection adds would wait for a full read.
    selection: str
    # Whether `complete` asks the registry once per record (CRIS's detail). Such details are
    # read for new and changed records, and again on a rolling basis (`indexer.refresh`).
    reads_details: bool

    def fetch(self) -> AsyncIterator[Listed]:
        """Every record of the registry (or of the configured query), page by page, decoded or
        as served (`Served`); pages may repeat records, the run de-duplicates. Raises
        `SourceError` when it cannot go on."""
        ...

    def identify(self, raw: Raw) -> str:
        """The registry id; `RecordRejected` when the record has none."""
        ...

    def hashed_content(self, raw: Raw) -> Any:
        """The part of the complete record (`complete`) whose change is an upstream update (no
        volatile fields)."""
        ...

    async def complete(self, raw: Raw) -> Raw:
        """The record with what the listing lacks (CRIS: the detail); `raw` itself when the
        listing has everything. Raises `SourceError` for that record alone when the registry
        cannot give it (the record is counted failed and its stored version kept)."""
        ...

    def reuse(self, raw: Raw, stored: Raw) -> Raw:
        """The complete record from a listed one and the stored record's `raw`, without asking
        the registry (CRIS: the stored detail); `raw` itself when the listing has everything."""
        ...

    def normalize(self, raw: Raw) -> Trial:
        """The trial document; `RecordRejected` with a reason naming the field when the record
        is malformed. The pipeline names the record and also takes a record of the wrong shape
        (`indexer.pipeline.MALFORMED`), so sources add no wrappers of their own."""
        ...
