"""GET /api/v1/sync-runs, GET /api/v1/sync-runs/{run_id}, and the admin-only POST that starts
runs through the injected launcher (the service never imports the indexer)."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlencode

import orjson
from aiohttp import web
from marshmallow import ValidationError

from service import formatting
from service.apidocs import docs, json_body, parameter, querystring_schema, response
from service.errors import (
    Conflict,
    Forbidden,
    InvalidParameters,
    NotFound,
    Unauthorized,
    flatten_messages,
)
from service.jsonio import json_response
from service.keys import ES, LAUNCHER, NAMES, SETTINGS
from service.paging import Paging, Plan, next_link, page_of
from service.schemas import examples
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE, problem
from service.schemas.sync_runs import (
    StartedSchema,
    StartSyncSchema,
    SyncRunPageSchema,
    SyncRunQuerySchema,
    SyncRunSchema,
)
from trials.launcher import SyncAlreadyRunning, UnknownSource

routes = web.RouteTableDef()
TAGS = ["sync runs"]
BASE = "/api/v1/sync-runs"


# Newest first; run_id is unique, so the order is total and a cursor walk can continue after
# any run. A run without a start time (never expected) sorts last rather than failing.
SORT = [{"started_at": {"order": "desc", "missing": "_last"}}, {"run_id": "asc"}]


def runs_body(parsed: dict[str, Any]) -> dict[str, Any]:
    filters = [
        {"terms": {name: parsed[name]}}
        for name in ("source", "status", "run_id")
        if parsed.get(name)
    ]
    return {"query": {"bool": {"filter": filters}}, "sort": SORT}


@routes.get(BASE)
@docs(
    tags=TAGS,
    summary="Sync runs, newest first",
    description="One entry per run per source, read from the sync log: status, timing, counts "
    "and errors. Newest start first, ties broken by `run_id`. Page with `offset`/`limit` (up "
    "to 10,000 deep) or walk every page consistently with `cursor=*` then `next_cursor`, as "
    "the trial lists do.",
    responses={
        200: response(
            "A page of runs",
            SyncRunPageSchema,
            examples.SYNC_RUN_PAGE,
            headers={"Link": 'On cursor pages with a next one: `<next page URL>; rel="next"`'},
        ),
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(SyncRunQuerySchema)
async def list_runs(request: web.Request) -> web.Response:
    def plan(parsed: dict[str, Any], paging: Paging) -> Plan:
        return Plan(runs_body(parsed), formatting.sync_run)

    index = request.app[NAMES].sync_log
    page, _ = await page_of(request, SyncRunQuerySchema, "sync-runs", index, plan)
    return json_response(page, headers=next_link(request, page))


@routes.get(BASE + "/{run_id}")
@docs(
    tags=TAGS,
    summary="One sync run",
    parameters=[parameter("path", "run_id", "The run's id", str(examples.SYNC_RUN["run_id"]))],
    responses={
        200: response("The run", SyncRunSchema, examples.SYNC_RUN),
        404: problem(
            404,
            "No run with this id",
            detail="no sync run has the id 'cris-20260101T000000Z-0000'",
            instance="/api/v1/sync-runs/cris-20260101T000000Z-0000",
        ),
        503: UNAVAILABLE,
    },
)
async def get_run(request: web.Request) -> web.Response:
    run_id = request.match_info["run_id"]
    result = await request.app[ES].search(
        index=request.app[NAMES].sync_log, query={"term": {"run_id": run_id}}, size=1
    )
    hits = result.body["hits"]["hits"]
    if not hits:
        raise NotFound(f"no sync run has the id {run_id!r}")
    return json_response(hits[0]["_source"])


def authorise(request: web.Request) -> None:
    """Bearer token, compared in constant time; admin is off when no token is configured."""
    token = request.app[SETTINGS].admin_token
    if not token:
        raise Forbidden("admin endpoints are disabled: TRIALS_ADMIN_TOKEN is not configured")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("send Authorization: Bearer <TRIALS_ADMIN_TOKEN>")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Forbidden("the bearer token is not the admin token")


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json(loads=orjson.loads)
    except ValueError as exc:
        raise InvalidParameters.one("body", "is not valid JSON", "body") from exc
    if not isinstance(data, dict):
        raise InvalidParameters.one("body", "must be a JSON object", "body")
    try:
        return dict(StartSyncSchema().load(data))
    except ValidationError as exc:
        errors = flatten_messages(exc.messages, "json")
        raise InvalidParameters(
            "; ".join(f"{e['name']}: {e['reason']}" for e in errors), errors=errors
        ) from exc


@routes.post(BASE)
@docs(
    tags=TAGS,
    summary="Start sync runs (admin)",
    description="Starts one background run per source and answers at once with 202 and where "
    "to follow them. Requires `Authorization: Bearer <TRIALS_ADMIN_TOKEN>`; disabled (403) "
    "when no token is configured.",
    requestBody=json_body(StartSyncSchema),
    security=[{"admin_token": []}],
    responses={
        202: response(
            "Started; Location names the run(s)",
            StartedSchema,
            {
                "runs": [
                    {
                        "run_id": examples.SYNC_RUN["run_id"],
                        "source": "cris",
                        "href": f"{BASE}/{examples.SYNC_RUN['run_id']}",
                    }
                ]
            },
            headers={"Location": "The run, or the list of the runs started"},
        ),
        400: BAD_PARAMETER,
        401: problem(
            401,
            "No bearer token",
            detail="send Authorization: Bearer <TRIALS_ADMIN_TOKEN>",
            instance=BASE,
        ),
        403: problem(
            403,
            "Wrong token, or admin disabled",
            detail="the bearer token is not the admin token",
            instance=BASE,
        ),
        409: problem(
            409,
            "A run of this source is already in progress",
            detail="a sync of 'cris' is already running (host:4121:cris-20260203T180000Z-4f1a)",
            instance=BASE,
        ),
        503: UNAVAILABLE,
    },
)
async def start_runs(request: web.Request) -> web.Response:
    authorise(request)
    body = await _body(request)
    launcher = request.app[LAUNCHER]
    if launcher is None:
        raise Forbidden("this process cannot start sync runs (no indexer launcher is installed)")
    sources = list(dict.fromkeys(body["sources"]))
    try:
        run_ids = await launcher(sources, body["full"])
    except SyncAlreadyRunning as exc:
        raise Conflict(str(exc)) from exc
    except UnknownSource as exc:
        raise InvalidParameters.one("sources", str(exc), "body") from exc
    runs = [
        {"run_id": r, "source": s, "href": f"{BASE}/{r}"}
        for r, s in zip(run_ids, sources, strict=True)
    ]
    if len(runs) == 1:
        location = runs[0]["href"]
    else:
        location = f"{BASE}?{urlencode([('run_id', r) for r in run_ids])}"
    return json_response({"runs": runs}, status=202, headers={"Location": location})
