"""GET /api/v1/suggest: suggestions as you type (conditions, interventions, institutions).

The suggestions are answered from memory (`service.suggestion_map`, loaded from the suggestion
index and loaded again when it changes), or by the node until the map is there. Answers are
kept for a few seconds (`service.answer_cache`): people type the same first letters over and
over, and the suggestions only change when a sync run rebuilds them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
from aiohttp import web
from elasticsearch import NotFoundError

from service.answer_cache import AnswerCache
from service.apidocs import docs, querystring_schema, response
from service.keys import ES, NAMES
from service.schemas import examples
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE
from service.schemas.suggest import SuggestionsSchema, SuggestQuerySchema
from service.suggestion_map import SuggestionKeeper
from service.suggestions import DEFAULT_LIMIT, items, suggest_body
from trials.suggest_keys import normalised

routes = web.RouteTableDef()
CACHE = web.AppKey("suggest_cache", AnswerCache)
KEEPER = web.AppKey("suggestion_keeper", SuggestionKeeper)


@routes.get("/api/v1/suggest")
@docs(
    tags=["trials"],
    summary="Suggestions as you type",
    description="Conditions and interventions from the bilingual vocabulary (each with its "
    "Korean and English name), and the interventions and institutions the trials name, whose "
    "words start with what was typed, in either language, with or without spaces, or whose "
    "초성 it is: `당뇨` → 당뇨병, 제2형 당뇨병; `ㄷㄴㅂ` → 당뇨병; `diab` → Diabetes, "
    "Type 2 diabetes. "
    "Each with the number of trials that have it, most first. Search for an item's `text` "
    "with `/api/v1/trials?q=`.",
    responses={
        200: response("Suggestions", SuggestionsSchema, examples.SUGGESTIONS),
        400: BAD_PARAMETER,
        503: UNAVAILABLE,
    },
)
@querystring_schema(SuggestQuerySchema)
async def suggest(request: web.Request) -> web.Response:
    parsed = request["querystring"]
    limit = int(parsed.get("limit", DEFAULT_LIMIT))
    cache, key = request.app[CACHE], (normalised(parsed["q"]), limit)
    answer = cache.get(key)
    if answer is None:
        answer = orjson.dumps({"items": await _suggested(request.app, parsed["q"], limit)})
        cache.put(key, answer)
    headers = {"Cache-Control": f"max-age={int(cache.ttl_s)}"}
    return web.Response(body=answer, content_type="application/json", headers=headers)


async def _suggested(app: web.Application, q: str, limit: int) -> list[dict[str, Any]]:
    in_memory = app[KEEPER].map
    if in_memory is not None:
        return in_memory.suggested(q, limit)
    try:
        found = await app[ES].search(index=app[NAMES].suggest, **suggest_body(q, limit))
    except NotFoundError:  # no run has built the suggestions yet
        return []
    return items(found["hits"]["hits"], limit)


async def _keep_suggestions(app: web.Application) -> AsyncIterator[None]:
    app[KEEPER] = SuggestionKeeper(app[ES], app[NAMES].suggest)
    loading = asyncio.create_task(app[KEEPER].keep_fresh())
    yield
    loading.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await loading


def setup(app: web.Application) -> None:
    """The route, the application's answer cache, and its suggestions in memory (after the
    client: the cleanup context runs after `create_app`'s)."""
    app[CACHE] = AnswerCache()
    app.cleanup_ctx.append(_keep_suggestions)
    app.add_routes(routes)
