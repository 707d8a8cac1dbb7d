"""GET /api/v1/trials/{trial_id}/history: a trial's changes as the indexer recorded them
(`trials-history`), newest first, paged as every list is."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from service.apidocs import docs, parameter, querystring_schema, response
from service.jsonio import json_response
from service.keys import NAMES
from service.paging import Paging, Plan, next_link, page_of
from service.routes.trials import PAGE_HEADERS, trial_or_404, unknown_trial
from service.schemas.history import HistoryPageSchema, HistoryQuerySchema
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE

routes = web.RouteTableDef()
# Newest first; a trial's changes each leave another stored version, so `from_version` makes
# the order total (the `created` entry, which left none, is the oldest).
SORT = [{"at": "desc"}, {"from_version": {"order": "desc", "missing": "_last"}}]
EXAMPLE = {
    "items": [
        {
            "id": "ctgov:NCT05923281@1767225600000",
            "trial_id": "ctgov:NCT05923281",
            "source": "ctgov",
            "registry_id": "NCT05923281",
            "change": "updated",
            "at": "2026-02-03T18:00:00.000Z",
            "run_id": "ctgov-20260203T180000Z-4f1a2b",
            "changed_fields": ["status", "status_raw", "target_size"],
            "fields": [
                {"field": "status", "old": "recruiting", "new": "completed"},
                {"field": "status_raw", "old": "RECRUITING", "new": "COMPLETED"},
                {"field": "target_size", "old": 120, "new": 96},
            ],
        }
    ],
    "total": 2,
    "total_relation": "eq",
    "offset": 0,
    "limit": 1,
    "next_cursor": None,
}


def history_item(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit["_source"]
    item = {"id": hit["_id"]}
    item.update((k, source[k]) for k in ("trial_id", "source", "registry_id") if k in source)
    item.update((k, source[k]) for k in ("change", "at", "run_id") if k in source)
    item["changed_fields"] = source.get("changed_fields", [])
    item["fields"] = source.get("fields", [])
    return item


@routes.get("/api/v1/trials/{trial_id}/history")
@docs(
    tags=["trials"],
    summary="What changed in one trial, newest first",
    description="Every change the indexer saw in the registry: `created`, `updated` (with "
    "`fields`: each field's `old` and `new` value over the normalised trial; long texts as "
    "an excerpt of each side, lists with the items `added` and `removed`), `removed` "
    "(gone from the registry) and `restored` (back). A re-normalisation by a new parser is no "
    "registry change and is not listed. `trial_id` is our id or the registry id. Page with "
    "`offset`/`limit` or `cursor=*` then `next_cursor`, as the other lists.",
    parameters=[parameter("path", "trial_id", "Our id or the registry id", "NCT05923281")],
    responses={
        200: response("A page of changes", HistoryPageSchema, EXAMPLE, headers=PAGE_HEADERS),
        400: BAD_PARAMETER,
        404: unknown_trial("/history"),
        503: UNAVAILABLE,
    },
)
@querystring_schema(HistoryQuerySchema)
async def trial_history(request: web.Request) -> web.Response:
    trial = await trial_or_404(request)

    def plan(parsed: dict[str, Any], paging: Paging) -> Plan:
        body = {"query": {"term": {"trial_id": trial["id"]}}, "sort": SORT}
        return Plan(body, history_item)

    index = request.app[NAMES].history
    page, _ = await page_of(request, HistoryQuerySchema, "history", index, plan)
    return json_response(page, headers=next_link(request, page))
