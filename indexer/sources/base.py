"""The protocol every source implements. Sources only read and interpret their registry; the
run (`indexer.run`) decides what to write and the sink (`indexer.sink`) writes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from trials.model import Trial

Raw = dict[str, Any]


class Source(Protocol):
    name: str

    def fetch(self) -> AsyncIterator[Raw]:
        """Every record of the registry (or of the configured query), page by page; pages may
        repeat records, the run de-duplicates. Raises `SourceError` when it cannot go on."""
        ...

    def identify(self, raw: Raw) -> str:
        """The registry id; `RecordRejected` when the record has none."""
        ...

    def hashed_content(self, raw: Raw) -> Any:
        """The part of the record whose change is an upstream update (no volatile fields)."""
        ...

    async def complete(self, raw: Raw) -> Raw:
        """The record with what the listing lacks (CRIS detail); called only for new or changed
        records."""
        ...

    def normalize(self, raw: Raw) -> Trial:
        """The trial document; `RecordRejected` with a reason when the record is malformed."""
        ...
