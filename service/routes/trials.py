"""GET /api/v1/trials (search), /api/v1/trials/recent (changes) and /api/v1/trials/{trial_id}."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service import concept_facet, formatting
from service.apidocs import docs, parameter, querystring_schema, response
from service.batched_get import BatchedGet
from service.conditional import not_modified
from service.errors import NotFound
from service.jsonio import json_response
from service.keys import DOCS, ES, NAMES
from service.paging import Paging, Plan, next_link, page_of
from service.params import recent_params, search_params
from service.recent import CREATED_FIELD, recent_body
from service.schemas import examples
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE, problem
from service.schemas.trial_views import TrialDetailSchema
from service.schemas.trials import (
    RecentPageSchema,
    RecentQuerySchema,
    SearchPageSchema,
    TrialQuerySchema,
    TrialSearchQuerySchema,
)
from service.search import registry_doc_id, registry_id_query, search_body

routes = web.RouteTableDef()
TAGS = ["trials"]
MAX_ID_LENGTH = 200


PAGE_HEADERS = {"Link": 'On cursor pages with a next one: `<next page URL>; rel="next"`'}


def wants_facets(request: web.Request, paging: Paging) -> bool:
    """As asked; by default on a first page only (a continued walk has its counts already)."""
    asked = request["querystring"].get("facets")
    return paging.state is None if asked is None else bool(asked)


@routes.get("/api/v1/trials")
@docs(
    tags=TAGS,
    summary="Search trials",
    description="Korean and English full-text search with filters, facets and highlights. "
    "A trial matches when its text holds the words; words in titles rank above words in "
    "conditions, keywords and interventions, and those above words anywhere else. "
    "Who may take part and where: `age`, `sex`, `healthy_volunteers`, `country`, `region`, "
    "`site`, and `near` with `within_km` (then `sort=distance`), e.g. "
    "`/api/v1/trials?q=유방암&age=45&sex=female&region=서울특별시` or "
    "`/api/v1/trials?near=37.5665,126.978&within_km=10`. Items are compact (eligibility "
    "summary, the regions and countries of the sites); the detail has the whole record. "
    "Removed trials are left out unless `include_removed=true`. Page with `offset`/`limit` "
    "(up to 10,000 deep) or walk every page consistently with `cursor=*` then `next_cursor` "
    "(or the `Link` header). `fields=id,title,status` keeps only those fields of each item; "
    "`facets=false` skips the counts. Every match at once: `/api/v1/trials/export`.",
    responses={
        200: response(
            "A page of matching trials",
            SearchPageSchema,
            examples.SEARCH_PAGE,
            headers=PAGE_HEADERS,
        ),
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(TrialSearchQuerySchema)
async def search_trials(request: web.Request) -> web.Response:
    facets = True

    def plan(parsed: dict[str, Any], paging: Paging) -> Plan:
        nonlocal facets
        params, names = search_params(parsed), parsed.get("fields_")
        by_distance = params.effective_sort == "distance"
        body = search_body(params)
        aggs = body.pop("aggs")
        facets = wants_facets(request, paging)
        return Plan(
            body,
            lambda hit: formatting.select(
                formatting.search_item(hit, params.near, by_distance), names
            ),
            {"query": body["query"], "aggs": aggs} if facets else None,
        )

    index = request.app[NAMES].trials
    page, found = await page_of(request, TrialSearchQuerySchema, "search", index, plan)
    if facets:
        page["facets"] = concept_facet.labelled(formatting.facets(found.get("aggregations", {})))
    return json_response(page, headers=next_link(request, page))


@routes.get("/api/v1/trials/recent")
@docs(
    tags=TAGS,
    summary="Trials created or updated in a time window",
    description="Newest change first (`changed_at` descending, then `id`). The window "
    "`[updated_from, updated_to]` is inclusive at both ends and defaults to the rolling last 7 "
    "days. A date without a time means the whole day in Asia/Seoul (KST, UTC+9); a date-time "
    "without an offset is read as KST. What follows is `basis=index` (default), our index's "
    "dates; `basis=registry` uses the registry's own registration and update dates instead "
    "(see the parameter).\n\n"
    "* `change=created`: `first_seen_at` (when our index first saw the trial) is in the "
    "window.\n"
    "* `change=updated`: `changed_at` is in the window and the write that set it was an "
    "update (`last_change=updated`: the registry content changed, by its content hash) or a "
    "restore (`last_change=restored`: the trial came back to its registry after it had "
    "disappeared; restores count as updates). A trial first seen and updated again in the "
    "same window is listed under both `created` and `updated`.\n"
    "* `change=any` (default): either, each trial once.\n\n"
    "Only a trial's latest change is kept, so a trial updated in the window and again after "
    "it is not listed as updated in that window. Each item's `change` names the list it is "
    "in; under `any`, `created` when first seen in the window, otherwise `updated`. "
    "`fields=` keeps only the named fields of each item.",
    responses={
        200: response(
            "A page of changed trials",
            RecentPageSchema,
            examples.RECENT_PAGE,
            headers=PAGE_HEADERS,
        ),
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(RecentQuerySchema)
async def recent_trials(request: web.Request) -> web.Response:
    def plan(parsed: dict[str, Any], paging: Paging) -> Plan:
        params, names = recent_params(parsed, paging.began), parsed.get("fields_")
        created = CREATED_FIELD[params.basis]
        return Plan(
            recent_body(params),
            lambda hit: formatting.select(
                formatting.recent_item(hit, params.window, params.change, created), names
            ),
        )

    index = request.app[NAMES].trials
    page, _ = await page_of(request, RecentQuerySchema, "recent", index, plan)
    return json_response(page, headers=next_link(request, page))


async def find_trial(
    es: AsyncElasticsearch, docs: BatchedGet, index: str, trial_id: str
) -> dict[str, Any] | None:
    """By our id (`cris:KCT0011569`) or by the registry id alone, in any letter case.

    A registry id in a registry's own format names its document, so a realtime read finds it
    (much cheaper than a search); anything else, or a read that misses, is searched for."""
    guessed = trial_id if ":" in trial_id else registry_doc_id(trial_id)
    if guessed is not None:
        found = await docs.source(index, guessed)
        if found is not None or ":" in trial_id:
            return found
    result = await es.search(
        index=index, query=registry_id_query(trial_id), size=1, sort=[{"id": "asc"}]
    )
    hits = result.body["hits"]["hits"]
    return dict(hits[0]["_source"]) if hits else None


async def trial_or_404(request: web.Request) -> dict[str, Any]:
    """The trial the path's `trial_id` names (see `find_trial`), or a 404 problem."""
    trial_id = request.match_info["trial_id"]
    found = None
    if len(trial_id) <= MAX_ID_LENGTH:
        app = request.app
        found = await find_trial(app[ES], app[DOCS], app[NAMES].trials, trial_id)
    if found is None:
        raise NotFound(f"no trial has the id or registry id {trial_id!r}")
    return found


def unknown_trial(path: str) -> dict[str, Any]:
    """The documented 404 of a route under /api/v1/trials/{trial_id}."""
    return problem(
        404,
        "No trial with this id",
        detail="no trial has the id or registry id 'KCT9999999'",
        instance=f"/api/v1/trials/KCT9999999{path}",
    )


CONDITIONAL_HEADERS = [
    parameter(
        "header", "If-None-Match", "An ETag from an earlier response; 304 when it still matches"
    ),
    parameter(
        "header", "If-Modified-Since", "An HTTP date; 304 when the trial has not changed since"
    ),
]


@routes.get("/api/v1/trials/{trial_id}")
@docs(
    tags=TAGS,
    summary="One trial, by our id or by its registry id",
    description="`trial_id` is our id (`cris:KCT0011569`, `ctgov:NCT05923281`) or the registry "
    "id users know (`KCT0011569`, `NCT05923281`, `C130010`; any letter case). Removed trials "
    "are returned with `removed_at` set. Supports conditional GET with `ETag` / "
    "`Last-Modified`. `fields=` keeps only the named fields.",
    parameters=[
        parameter("path", "trial_id", "Our id or the registry id", "KCT0011569"),
        *CONDITIONAL_HEADERS,
    ],
    responses={
        200: response(
            "The trial, with the registry record it came from",
            TrialDetailSchema,
            {**examples.TRIAL, "raw": {"trial_id": "KCT0011569"}},
            headers={
                "ETag": "Changes with the trial (and with `fields`)",
                "Last-Modified": "When the trial last changed or was removed",
            },
        ),
        304: response("Not modified since the ETag or date given"),
        400: BAD_PARAMETER,
        404: unknown_trial(""),
        503: UNAVAILABLE,
    },
)
@querystring_schema(TrialQuerySchema)
async def get_trial(request: web.Request) -> web.Response:
    source = await trial_or_404(request)
    names = request["querystring"].get("fields_")
    tag, modified = formatting.etag(source, names), formatting.last_modified(source)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if modified is not None:
        headers["Last-Modified"] = formatting.http_date(modified)
    if not_modified(request.headers, tag, modified):
        return web.Response(status=304, headers=headers)
    return json_response(formatting.select(formatting.trial(source), names), headers=headers)
