"""Every match of a search, streamed: read from one point in time (PIT) in batches with
`search_after`, each batch written out before the next is read, so memory stays flat however
many trials match. Rows are the compact list items (or the `fields=` chosen), as NDJSON or CSV.

CSV: one column per field, in the order of `EXPORT_FIELDS` (or of `fields=`); `eligibility`
becomes its four columns `eligibility.min_age_years`, `eligibility.max_age_years`,
`eligibility.sex`, `eligibility.healthy_volunteers`; list values (conditions, regions,
countries) are joined by `; `; true/false as written; an absent value is empty. UTF-8, no BOM,
a header row, CRLF line ends (RFC 4180).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import AsyncGenerator, Iterable
from typing import Any, NamedTuple

import orjson
from elasticsearch import ApiError, AsyncElasticsearch, TransportError

logger = logging.getLogger(__name__)

BATCH = 1000
KEEP_ALIVE = "1m"
LIST_SEPARATOR = "; "
MEDIA_TYPES = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8; header=present"}
ELIGIBILITY_COLUMNS = ("min_age_years", "max_age_years", "sex", "healthy_volunteers")


class Batch(NamedTuple):
    total: int  # every match in the snapshot, the same in every batch
    hits: list[dict[str, Any]]


async def batches(
    es: AsyncElasticsearch, index: str, body: dict[str, Any]
) -> AsyncGenerator[Batch]:
    """The hits of `body` (its sort ends in a unique tie-breaker), `BATCH` at a time, from one
    PIT, closed at the end or when the reader stops early. The first read counts every match
    exactly (the rows to come); the others count nothing."""
    opened = await es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)
    pit = str(opened.body["id"])
    after: list[Any] | None = None
    total = 0
    try:
        while True:
            page: dict[str, Any] = {"search_after": after} if after else {}
            found = await es.search(
                pit={"id": pit, "keep_alive": KEEP_ALIVE},
                size=BATCH,
                track_total_hits=after is None,
                **page,
                **body,
            )
            hits = found.body["hits"]["hits"]
            pit = found.body.get("pit_id", pit)
            total = found.body["hits"]["total"]["value"] if after is None else total
            yield Batch(total, hits)
            if len(hits) < BATCH:
                return
            after = hits[-1]["sort"]
    finally:
        await _close(es, pit)


async def _close(es: AsyncElasticsearch, pit: str) -> None:
    """A PIT left open expires after KEEP_ALIVE anyway; failing to close it is no failure."""
    try:
        await es.close_point_in_time(id=pit)
    except (ApiError, TransportError) as exc:
        logger.warning("could not close the export's point in time: %s", exc)


def ndjson_rows(items: Iterable[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(item) + b"\n" for item in items)


def csv_columns(names: Iterable[str]) -> list[str]:
    columns = []
    for name in names:
        if name == "eligibility":
            columns += [f"eligibility.{c}" for c in ELIGIBILITY_COLUMNS]
        else:
            columns.append(name)
    return columns


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    return str(value)


def csv_row(item: dict[str, Any], columns: list[str]) -> list[str]:
    eligibility = item.get("eligibility") or {}
    return [
        cell(
            eligibility.get(c.removeprefix("eligibility."))
            if c.startswith("eligibility.")
            else item.get(c)
        )
        for c in columns
    ]


def csv_text(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)  # the excel dialect: RFC 4180 quoting, CRLF
    return buffer.getvalue().encode()
