"""The one application factory, used by `trials serve` and by the tests alike."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator

from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service.apidocs import build_spec
from service.batched_get import BatchedGet
from service.cors import setup_cors
from service.cursor import CursorCodec
from service.docsui import setup_docs
from service.errors import problem_middleware, raise_invalid_parameters
from service.keys import CURSORS, DOCS, ES, LAUNCHER, NAMES, SETTINGS
from service.routes import setup_routes
from service.validation import validation_middleware
from trials import __version__
from trials.es import make_client
from trials.indices import Names
from trials.launcher import SyncLauncher
from trials.settings import Settings

DESCRIPTION = """Clinical trials from the Korean registries (iCReaT, CRIS) and ClinicalTrials.gov,
with Korean full-text search.

* Times are ISO-8601. Stored and returned in UTC; a date given without a time means that whole
  day in Asia/Seoul, and date ranges are inclusive at both ends.
* Errors are RFC 9457 `application/problem+json`, naming the offending parameter.
* Lists page with `offset` + `limit` (up to 10,000 deep), or with `cursor=*` and then each
  response's `next_cursor` (also in its `Link: <…>; rel="next"` header), which reads every
  page from one consistent snapshot. `/api/v1/trials/export` streams every match at once.
* `fields=` keeps only the named top-level fields of each trial; `facets=false` skips the
  search's counts.
* Responses of 1 KiB and more are gzip- or deflate-compressed when the request's
  `Accept-Encoding` allows it. Every GET also answers HEAD. Every response carries
  `X-Request-Id` (yours, if you send a sane one), also found in problem bodies.
"""
TAGS = [
    {"name": "trials", "description": "Search, recent changes, export and one trial"},
    {"name": "sync runs", "description": "The sync log, and starting runs (admin)"},
    {"name": "operations", "description": "Liveness, readiness, versions, freshness"},
]


# A request line up to 1 MiB reaches our validation, so even a 100,000-character `q` or
# thousands of repeated parameters get a problem+json naming the parameter; past that aiohttp
# answers a plain 400 before any middleware. Headers stay small.
MAX_REQUEST_LINE = 1024 * 1024
MAX_HEADER = 32 * 1024


def cursor_secret(settings: Settings) -> bytes:
    """Configured → stable across restarts and processes; otherwise random per process."""
    if settings.cursor_secret:
        return hashlib.sha256(settings.cursor_secret.encode()).digest()
    return secrets.token_bytes(32)


def _es_context(injected: AsyncElasticsearch | None):  # type: ignore[no-untyped-def]
    async def es_context(app: web.Application) -> AsyncIterator[None]:
        app[ES] = injected or make_client(app[SETTINGS])
        app[DOCS] = BatchedGet(app[ES])
        yield
        if injected is None:
            await app[ES].close()

    return es_context


def create_app(
    settings: Settings,
    *,
    es: AsyncElasticsearch | None = None,
    launcher: SyncLauncher | None = None,
) -> web.Application:
    """`es`: a client owned by the caller (not closed here); otherwise one is made and closed
    with the app. `launcher`: starts sync runs for POST /api/v1/sync-runs (None: disabled)."""
    app = web.Application(
        # outermost first: the problem middleware finishes every response (problems, request
        # id, compression)
        middlewares=[problem_middleware, validation_middleware],
        handler_args={"max_line_size": MAX_REQUEST_LINE, "max_field_size": MAX_HEADER},
    )
    app[SETTINGS] = settings
    app[NAMES] = Names.from_settings(settings)
    app[CURSORS] = CursorCodec(cursor_secret(settings))
    app[LAUNCHER] = launcher
    app.cleanup_ctx.append(_es_context(es))
    setup_routes(app)
    spec = build_spec(
        app,
        raise_invalid_parameters,
        title="trials API",
        version=__version__,
        info={"description": DESCRIPTION},
        tags=TAGS,
    )
    setup_docs(app, spec)
    answer_head(app)
    setup_cors(app, settings.cors_origins)
    return app


def answer_head(app: web.Application) -> None:
    """HEAD on every GET route (curl -I, uptime probes): the same handler; aiohttp sends the
    headers only. Added after the spec is built, which documents GET alone."""
    for resource in app.router.resources():
        routes = {route.method: route for route in resource}
        if "GET" in routes and "HEAD" not in routes and isinstance(resource, web.Resource):
            resource.add_route("HEAD", routes["GET"].handler)
