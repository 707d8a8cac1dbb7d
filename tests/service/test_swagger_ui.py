"""Swagger UI 5, served from our packaged assets, loads in headless Chromium, lists every
operation, and "Try it out" → "Execute" on the search endpoint gets a 200 from the running
service; it has no box to load another spec and ignores `?url=` / `?configUrl=`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from service.docsui import swagger_ui_version
from tests.service.browser import open_page

Client = TestClient[Any, Any]
README = Path(__file__).resolve().parents[2] / "README.md"

# Swagger UI names each operation block after its tag and operationId.
FIND_SEARCH = "document.getElementById('operations-trials-search_trials')"


async def test_swagger_ui_try_it_out(client: Client) -> None:
    spec = await (await client.get("/api/docs/openapi.json")).json()
    operations = sum(len(ops) for ops in spec["paths"].values())
    async with open_page(f"http://127.0.0.1:{client.port}/api/docs") as page:
        count = await page.wait_for("document.querySelectorAll('.opblock').length")
        assert count == operations >= 11
        version = await page.evaluate("window.versions.swaggerUI.version")
        assert version.startswith("5.")
        title = await page.evaluate("document.querySelector('.info .title')?.textContent")
        assert title.startswith("trials API")

        await page.evaluate(f"({FIND_SEARCH}).querySelector('.opblock-summary-control').click()")
        await page.wait_for(f"({FIND_SEARCH}).querySelector('.try-out__btn')")
        await page.evaluate(f"({FIND_SEARCH}).querySelector('.try-out__btn').click()")
        await page.wait_for(f"({FIND_SEARCH}).querySelector('button.execute')")
        await page.evaluate(f"({FIND_SEARCH}).querySelector('button.execute').click()")

        status = await page.wait_for(
            f"({FIND_SEARCH}).querySelector("
            "'.live-responses-table tr.response .response-col_status')?.textContent.trim()"
        )
        assert status == "200"
        url = await page.evaluate(f"({FIND_SEARCH}).querySelector('.request-url pre')?.textContent")
        assert "q=%EB%8B%B9%EB%87%A8%EB%B3%91" in url  # the documented example, 당뇨병
        body = await page.evaluate(
            f"({FIND_SEARCH}).querySelector('.live-responses-table .microlight')?.textContent"
        )
        assert json.loads(body)["items"][0]["id"] == "cris:KCT0009001"


async def test_swagger_ui_ignores_a_foreign_spec_url(client: Client) -> None:
    """GHSA-qrmm-w75w-3wpx: a link to our docs must not show another spec under our origin."""
    base = f"http://127.0.0.1:{client.port}"
    foreign = "http://127.0.0.1:9/evil.json"
    url = f"{base}/api/docs?url={foreign}&configUrl={foreign}"
    async with open_page(url) as page:
        await page.wait_for("document.querySelectorAll('.opblock').length")
        title = await page.evaluate("document.querySelector('.info .title')?.textContent")
        assert title.startswith("trials API")
        spec_url = await page.evaluate("window.ui.specSelectors.url()")
        assert spec_url == "/api/docs/openapi.json"
        assert await page.evaluate("document.querySelector('.topbar, .download-url-input')") is None


async def test_the_page_loads_nothing_from_elsewhere(client: Client) -> None:
    response = await client.get("/api/docs")
    page = await response.text()
    assert "Content-Security-Policy" in response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "http://" not in page
    assert "https://" not in page
    script = await client.get("/api/docs/static/swagger-ui-bundle.js")
    assert script.status == 200


def test_the_readme_names_the_swagger_ui_we_serve() -> None:
    version = swagger_ui_version().removeprefix("v")
    assert version.startswith("5.")
    assert f"Swagger UI {version}" in README.read_text(encoding="utf-8")
