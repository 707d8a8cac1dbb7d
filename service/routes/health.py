"""GET /health (process alive), /ready (Elasticsearch usable) and /api/v1/version."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from elasticsearch import ApiError, AsyncElasticsearch, TransportError

import mappings
from service.apidocs import docs, response
from service.errors import Unavailable
from service.jsonio import json_response
from service.keys import ES, NAMES
from service.schemas.health import HealthSchema, ReadySchema, VersionSchema
from service.schemas.problems import UNAVAILABLE
from trials import __version__
from trials.indices import Names, indices_behind, mapping_version
from trials.registries import SOURCE_NAMES

routes = web.RouteTableDef()
TAGS = ["operations"]
READ_SPECS = ("trials", "sync_log")


@routes.get("/health")
@docs(
    tags=TAGS,
    summary="The process is alive (does not touch Elasticsearch)",
    responses={200: response("Alive", HealthSchema)},
)
async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def _check_alias(es: AsyncElasticsearch, names: Names, spec: str) -> dict[str, Any]:
    alias = names.alias(spec)
    behind = await indices_behind(es, alias)
    if not behind:
        return {"name": f"{spec} alias", "ok": False, "detail": f"alias {alias} is missing"}
    expected, found = mappings.load(spec).version, await mapping_version(es, alias)
    return {
        "name": f"{spec} alias",
        "ok": found == expected,
        "detail": f"{alias} -> {', '.join(behind)}; mapping v{found}, expected v{expected}",
    }


async def readiness(es: AsyncElasticsearch, names: Names) -> list[dict[str, Any]]:
    try:
        health = await es.cluster.health(timeout="5s")
    except (ApiError, TransportError) as exc:
        return [{"name": "elasticsearch", "ok": False, "detail": f"unreachable: {exc}"}]
    checks = [
        {
            "name": "elasticsearch",
            "ok": health.body["status"] in ("green", "yellow"),
            "detail": f"cluster status {health.body['status']}",
        }
    ]
    for spec in READ_SPECS:
        checks.append(await _check_alias(es, names, spec))
    return checks


@routes.get("/ready")
@docs(
    tags=TAGS,
    summary="Ready to serve: node reachable, aliases present, mapping versions as expected",
    responses={200: response("Ready", ReadySchema), 503: UNAVAILABLE},
)
async def ready(request: web.Request) -> web.Response:
    checks = await readiness(request.app[ES], request.app[NAMES])
    failed = [c for c in checks if not c["ok"]]
    if failed:
        raise Unavailable(
            "not ready: " + "; ".join(c["detail"] for c in failed),
            errors=[
                {"name": c["name"], "in": "elasticsearch", "reason": c["detail"]} for c in failed
            ],
        )
    return json_response({"status": "ready", "checks": checks})


async def last_syncs(es: AsyncElasticsearch, alias: str) -> dict[str, Any]:
    result = await es.search(
        index=alias,
        size=0,
        query={"term": {"status": "completed"}},
        aggs={
            "by_source": {
                "terms": {"field": "source", "size": len(SOURCE_NAMES) + 10},
                "aggs": {
                    "last": {
                        "top_hits": {
                            "size": 1,
                            "sort": [{"finished_at": {"order": "desc", "missing": "_last"}}],
                            "_source": {"includes": ["run_id", "finished_at", "counts"]},
                        }
                    }
                },
            }
        },
    )
    found: dict[str, Any] = dict.fromkeys(SOURCE_NAMES)
    for bucket in result.body["aggregations"]["by_source"]["buckets"]:
        found[bucket["key"]] = bucket["last"]["hits"]["hits"][0]["_source"]
    return found


@routes.get("/api/v1/version")
@docs(
    tags=TAGS,
    summary="App and mapping versions, and the last completed sync per source",
    responses={
        200: response("Versions and data freshness", VersionSchema),
        503: UNAVAILABLE,
    },
)
async def version(request: web.Request) -> web.Response:
    es, names = request.app[ES], request.app[NAMES]
    versions = {
        spec: {
            "expected": mappings.load(spec).version,
            "found": await mapping_version(es, names.alias(spec)),
        }
        for spec in READ_SPECS
    }
    return json_response(
        {
            "app": __version__,
            "mappings": versions,
            "last_sync": await last_syncs(es, names.sync_log),
        }
    )
