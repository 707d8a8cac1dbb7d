"""CORS for the origins in TRIALS_CORS_ORIGINS (none: off, browsers on other origins are
refused by their own same-origin rule), with aiohttp-cors.

Credentials are not allowed: the public endpoints need none, and the admin token is sent as
a header a page would have to hold anyway. The headers a client reads (paging, caching, the
request id, the export's file name) are exposed.
"""

from __future__ import annotations

import aiohttp_cors
from aiohttp import web

ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-None-Match",
    "If-Modified-Since",
    "X-Request-Id",
)
EXPOSED_HEADERS = (
    "Link",
    "X-Request-Id",
    "ETag",
    "Last-Modified",
    "Retry-After",
    "Location",
    "Content-Disposition",
    "X-Total-Count",
)
MAX_AGE_S = 600


def setup_cors(app: web.Application, origins: tuple[str, ...]) -> None:
    """Every route but the documentation's static files answers CORS requests and
    preflights from `origins`."""
    if not origins:
        return
    options = aiohttp_cors.ResourceOptions(  # type: ignore[no-untyped-call]
        allow_credentials=False,
        expose_headers=EXPOSED_HEADERS,
        allow_headers=ALLOWED_HEADERS,
        allow_methods=("GET", "HEAD", "POST"),
        max_age=MAX_AGE_S,
    )
    cors = aiohttp_cors.setup(app, defaults=dict.fromkeys(origins, options))
    for route in list(app.router.routes()):
        if not isinstance(route.resource, web.StaticResource):
            cors.add(route)
