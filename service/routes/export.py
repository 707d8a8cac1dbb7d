"""GET /api/v1/trials/export: every trial a search matches, as NDJSON or CSV, streamed."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from service import export, formatting
from service.apidocs import docs, querystring_schema
from service.compression import compress
from service.keys import ES, NAMES
from service.params import search_params
from service.requestid import HEADER as REQUEST_ID
from service.requestid import request_id
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE
from service.schemas.trials import EXPORT_FIELDS, ExportQuerySchema
from service.search import search_body

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _body(parsed: dict[str, Any]) -> dict[str, Any]:
    """The search's query and order, without what only a page shows (facets, highlights)."""
    body = search_body(search_params(parsed))
    body.pop("aggs", None)
    body.pop("highlight", None)
    return body


Encode = Callable[[list[dict[str, Any]]], bytes]


def _encoder(fmt: str, names: tuple[str, ...]) -> tuple[bytes, Encode]:
    """The header bytes, and items → bytes."""
    if fmt == "csv":
        columns = export.csv_columns(names)
        return export.csv_text([columns]), lambda items: export.csv_text(
            export.csv_row(item, columns) for item in items
        )
    return b"", export.ndjson_rows


def _headers(fmt: str) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return {
        "Content-Type": export.MEDIA_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="trials-{stamp}.{fmt}"',
    }


@routes.get("/api/v1/trials/export")
@docs(
    tags=["trials"],
    summary="Export every matching trial (NDJSON or CSV)",
    description="Takes every search parameter (not the paging) and streams all matches, in "
    "the search's order, read from one consistent snapshot: `/api/v1/trials/export?q=당뇨병&"
    "format=csv`. Rows are the compact list items (`id`, `registry_id`, titles, status, "
    "phase, conditions, institution, the eligibility summary, regions, countries, dates); "
    "`fields=` chooses others of them. `format=ndjson` (default): one JSON object per line. "
    "`format=csv`: a header row, one column per field in that order, `eligibility` as four "
    "columns (`eligibility.min_age_years`, `eligibility.max_age_years`, `eligibility.sex`, "
    "`eligibility.healthy_volunteers`), list values joined by `; `, true/false, empty when "
    "absent; UTF-8 without BOM. Sent as an attachment (`Content-Disposition`), compressed "
    "when the client accepts gzip or deflate; `X-Total-Count` says how many rows follow "
    "(exact, counted in the same snapshot). A failure after the first row cuts the "
    "transfer short (the chunked body never ends properly), never a partial file that looks "
    "whole.",
    responses={
        200: {
            "description": "The matching trials",
            "headers": {
                "Content-Disposition": {
                    "description": 'attachment; filename="trials-<UTC time>.<format>"',
                    "schema": {"type": "string"},
                },
                "X-Total-Count": {
                    "description": "The rows to come: every match in the snapshot read",
                    "schema": {"type": "integer"},
                },
            },
            "content": {
                export.MEDIA_TYPES["ndjson"]: {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(ExportQuerySchema)
async def export_trials(request: web.Request) -> web.StreamResponse:
    parsed = request["querystring"]
    fmt, names = parsed.get("format", "ndjson"), parsed.get("fields_") or EXPORT_FIELDS
    body = _body(parsed)  # before any byte is sent: a bad combination is still a problem
    # prepared here, before the problem middleware sees it: the request id goes on now
    stream = web.StreamResponse(headers={**_headers(fmt), REQUEST_ID: request_id(request)})
    if request.method == "HEAD":
        await stream.prepare(request)
        return stream
    header, encode = _encoder(fmt, names)
    app = request.app
    async with contextlib.aclosing(export.batches(app[ES], app[NAMES].trials, body)) as batches:
        # the node's failures up to the first batch (always one, maybe empty) are problems
        batch = await anext(batches)
        stream.headers["X-Total-Count"] = str(batch.total)
        compress(request, stream)
        await stream.prepare(request)
        try:
            await stream.write(header + encode(_items(batch.hits, names)))
            async for batch in batches:
                await stream.write(encode(_items(batch.hits, names)))
        except ConnectionError:  # the client went away: nobody to tell
            return stream
        except Exception:  # boundary: the status is sent, a problem can no longer be
            logger.exception("export of %s cut short", request.path_qs)
            if request.transport is not None:
                request.transport.abort()  # no last chunk, so the client sees a cut transfer
            return stream
    await stream.write_eof()
    return stream


def _items(hits: list[dict[str, Any]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [formatting.select(formatting.list_item(hit["_source"]), names) for hit in hits]
