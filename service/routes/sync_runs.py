"""GET /api/v1/sync-runs, GET /api/v1/sync-runs/{run_id}, and the admin-only POST that starts
runs through the injected launcher (the service never imports the indexer)."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlencode

import orjson
from aiohttp import web
from marshmallow import ValidationError

from service.apidocs import docs, querystring_schema
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
from service.schemas import examples
from service.schemas.fields import MAX_RESULT_WINDOW
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


def _filters(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"terms": {name: parsed[name]}}
        for name in ("source", "status", "run_id")
        if parsed.get(name)
    ]


@routes.get(BASE, allow_head=False)
@docs(
    tags=TAGS,
    summary="Sync runs, newest first",
    description="One entry per run per source, read from the sync log: status, timing, counts "
    "and errors.",
    responses={
        200: {
            "schema": SyncRunPageSchema,
            "description": "A page of runs",
            "examples": {
                "application/json": {
                    "items": [examples.SYNC_RUN],
                    "total": 1,
                    "total_relation": "eq",
                    "offset": 0,
                    "limit": 20,
                    "next_cursor": None,
                }
            },
        },
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(SyncRunQuerySchema)
async def list_runs(request: web.Request) -> web.Response:
    parsed = request["querystring"]
    offset, limit = parsed.get("offset", 0), parsed.get("limit", 20)
    if offset + limit > MAX_RESULT_WINDOW:
        raise InvalidParameters.one("offset", f"offset + limit must not exceed {MAX_RESULT_WINDOW}")
    result = await request.app[ES].search(
        index=request.app[NAMES].sync_log,
        query={"bool": {"filter": _filters(parsed)}},
        sort=[{"started_at": {"order": "desc", "missing": "_last"}}, {"run_id": "asc"}],
        from_=offset,
        size=limit,
    )
    hits = result.body["hits"]
    return json_response(
        {
            "items": [hit["_source"] for hit in hits["hits"]],
            "total": hits["total"]["value"],
            "total_relation": hits["total"]["relation"],
            "offset": offset,
            "limit": limit,
            "next_cursor": None,
        }
    )


@routes.get(BASE + "/{run_id}", allow_head=False)
@docs(
    tags=TAGS,
    summary="One sync run",
    parameters=[
        {
            "in": "path",
            "name": "run_id",
            "type": "string",
            "required": True,
            "x-example": examples.SYNC_RUN["run_id"],
        }
    ],
    responses={
        200: {
            "schema": SyncRunSchema,
            "description": "The run",
            "examples": {"application/json": examples.SYNC_RUN},
        },
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
    parameters=[
        {"in": "body", "name": "body", "required": True, "schema": StartSyncSchema},
    ],
    security=[{"admin_token": []}],
    responses={
        202: {
            "schema": StartedSchema,
            "description": "Started; Location names the run(s)",
            "headers": {"Location": {"type": "string"}},
            "examples": {
                "application/json": {
                    "runs": [
                        {
                            "run_id": examples.SYNC_RUN["run_id"],
                            "source": "cris",
                            "href": f"{BASE}/{examples.SYNC_RUN['run_id']}",
                        }
                    ]
                }
            },
        },
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
