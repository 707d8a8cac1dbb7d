"""The API's own documentation routes: the OpenAPI 3 spec and Swagger UI 5.

The spec is served at `/api/docs/openapi.json`, and the same 3.x document at the old
`/api/docs/swagger.json` (no redirect: clients that do not follow one keep working). Swagger
UI's files are the ones packaged in the pinned aiohttp-apigami wheel (`SWAGGER_UI_VERSION`
names the release), served from here, never a CDN. The page is ours: the base layout (no
"Explore" box to load another spec), `queryConfigEnabled: false` so `?url=` and `?configUrl=`
are ignored (GHSA-qrmm-w75w-3wpx), no online validator, and a Content-Security-Policy that
lets it load nothing from another origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp_apigami
import orjson
from aiohttp import web

DOCS = "/api/docs"
SPEC_URL = f"{DOCS}/openapi.json"
LEGACY_SPEC_URL = f"{DOCS}/swagger.json"
ASSETS = Path(aiohttp_apigami.__file__).parent / "swagger_ui"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>trials API</title>
<link rel="stylesheet" href="{DOCS}/static/swagger-ui.css">
<link rel="icon" type="image/png" href="{DOCS}/static/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS}/static/swagger-ui-bundle.js" charset="UTF-8"></script>
<script src="{DOCS}/init.js" charset="UTF-8"></script>
</body>
</html>
"""

INIT = f"""window.ui = SwaggerUIBundle({{
  url: "{SPEC_URL}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  queryConfigEnabled: false,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
}});
"""


def swagger_ui_version() -> str:
    return (ASSETS / "VERSION").read_text().strip()


def setup_docs(app: web.Application, spec: dict[str, Any]) -> None:
    """Routes for the spec (both URLs) and the UI page, its script and its assets."""
    body = orjson.dumps(spec)

    async def serve_spec(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    async def page(request: web.Request) -> web.Response:
        return web.Response(
            text=PAGE, content_type="text/html", headers={"Content-Security-Policy": CSP}
        )

    async def init(request: web.Request) -> web.Response:
        return web.Response(text=INIT, content_type="text/javascript")

    app.router.add_get(SPEC_URL, serve_spec)
    app.router.add_get(LEGACY_SPEC_URL, serve_spec)
    app.router.add_get(DOCS, page)
    app.router.add_get(f"{DOCS}/init.js", init)
    app.router.add_static(f"{DOCS}/static", ASSETS)
