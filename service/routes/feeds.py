"""GET /api/v1/feeds/trials: an Atom feed of the trials a search finds, by their latest
change (created, updated, restored), newest first; `ETag` and conditional GET."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service import feeds
from service.apidocs import docs, querystring_schema, response
from service.conditional import not_modified
from service.keys import ES, NAMES
from service.params import search_params
from service.schemas.history import FeedQuerySchema
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE
from service.search import search_body

routes = web.RouteTableDef()
PATH = "/api/v1/feeds/trials"
SOURCE = ["id", "registry_id", "title", "changed_at", "last_change", "changed_fields"]
EXAMPLE = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:trials:feed:3f2a…</id>
<title>trials: 폐암</title><updated>2026-02-03T18:00:00.000Z</updated>…
<entry><id>urn:trials:change:cris:KCT0011569@1767225600000</id>
<title>[KCT0011569] 비소세포폐암 환자를 대상으로 한 …</title>
<link href="https://trials.example/api/v1/trials/cris:KCT0011569" rel="alternate" />
<updated>2026-02-03T18:00:00.000Z</updated><category term="updated" />
<summary>변경 Updated: 모집 상태 Status: recruiting → completed</summary></entry></feed>"""


@routes.get(PATH)
@docs(
    tags=["trials"],
    summary="Atom feed of changed trials, following a search",
    description="The same `q` and filters as `/api/v1/trials` (removed trials left out unless "
    "`include_removed=true`); the newest `limit` trials by their latest change (created, "
    "updated or back in the registry), each entry with the trial's title, a link to its "
    "detail, the change time, the registry id and a summary of what changed in Korean and "
    "English (`/api/v1/trials/{trial_id}/history` has every change). Subscribe in any feed "
    "reader, e.g. `/api/v1/feeds/trials?q=폐암&status=recruiting`. `ETag` with "
    "`If-None-Match` answers 304 when nothing changed.",
    responses={
        200: response(
            "The feed (application/atom+xml)",
            {"type": "string"},
            EXAMPLE,
            media_type=feeds.MEDIA_TYPE,
            headers={"ETag": "Changes when an entry does"},
        ),
        304: response("Not modified since the ETag given"),
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(FeedQuerySchema)
async def trials_feed(request: web.Request) -> web.Response:
    parsed = request["querystring"]
    params = search_params(parsed)
    query = search_body(params)["query"]
    es, names = request.app[ES], request.app[NAMES]
    found = await es.search(
        index=names.trials,
        query=query,
        sort=[{"changed_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
        size=int(parsed["limit"]),
        source={"includes": SOURCE},
        track_total_hits=False,
    )
    trials = [hit["_source"] for hit in found.body["hits"]["hits"]]
    changes = await latest_changes(es, names.history, [t["id"] for t in trials])
    body = feeds.render(
        feeds.Feed(
            id=f"urn:trials:feed:{_query_digest(request)}",
            title=f"trials: {params.q}" if params.q else "trials: changed trials",
            self_link=str(request.url),
            entries=[_entry(request, trial, changes.get(trial["id"])) for trial in trials],
        )
    )
    tag = feeds.etag(body)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if not_modified(request.headers, tag, None):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type=feeds.MEDIA_TYPE, charset="utf-8", headers=headers)


async def latest_changes(
    es: AsyncElasticsearch, index: str, trial_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Each trial's newest history document (with its `_id`), one search."""
    if not trial_ids:
        return {}
    found = await es.search(
        index=index,
        query={"terms": {"trial_id": trial_ids}},
        collapse={"field": "trial_id"},
        sort=[{"at": "desc"}, {"from_version": {"order": "desc", "missing": "_last"}}],
        size=len(trial_ids),
    )
    hits = found.body["hits"]["hits"]
    return {hit["_source"]["trial_id"]: hit["_source"] | {"_id": hit["_id"]} for hit in hits}


def _entry(
    request: web.Request, trial: dict[str, Any], change: dict[str, Any] | None
) -> feeds.Entry:
    link = str(request.url.with_path(f"/api/v1/trials/{trial['id']}").with_query(None))
    shown = feeds.Entry(
        trial_id=trial["id"],
        registry_id=trial.get("registry_id", ""),
        title=trial.get("title", ""),
        link=link,
        at=trial.get("changed_at") or feeds.EPOCH,
        change=trial.get("last_change") or "updated",
    )
    # the history entry tells what changed when it is the trial's latest change (a trial
    # written before history was kept, or changed in no shown field, has none)
    if change is None or change.get("at") != trial.get("changed_at"):
        return shown
    return replace(
        shown, change=change["change"], change_id=change["_id"], fields=tuple(change["fields"])
    )


def _query_digest(request: web.Request) -> str:
    pairs = sorted((k, v) for k, v in request.query.items() if k != "limit")
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
