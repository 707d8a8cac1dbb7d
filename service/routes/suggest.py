"""GET /api/v1/suggest: suggestions as you type (conditions, interventions, institutions)."""

from __future__ import annotations

from aiohttp import web
from elasticsearch import NotFoundError

from service.apidocs import docs, querystring_schema, response
from service.jsonio import json_response
from service.keys import ES, NAMES
from service.schemas import examples
from service.schemas.problems import BAD_PARAMETER, UNAVAILABLE
from service.schemas.suggest import SuggestionsSchema, SuggestQuerySchema
from service.suggestions import DEFAULT_LIMIT, items, suggest_body

routes = web.RouteTableDef()


@routes.get("/api/v1/suggest", allow_head=False)
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
    try:
        found = await request.app[ES].search(
            index=request.app[NAMES].suggest, **suggest_body(parsed["q"], limit)
        )
    except NotFoundError:  # no run has built the suggestions yet
        return json_response({"items": []})
    return json_response({"items": items(found["hits"]["hits"], limit)})
