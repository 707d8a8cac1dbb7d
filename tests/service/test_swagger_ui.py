"""Swagger UI loads in headless Chromium, lists every operation, and "Try it out" → "Execute"
on the search endpoint gets a 200 from the running service."""

from __future__ import annotations

import json
from typing import Any

from aiohttp.test_utils import TestClient

from tests.service.browser import open_page

Client = TestClient[Any, Any]

# Swagger UI names each operation block after its tag, method and path.
FIND_SEARCH = "document.getElementById('operations-trials-get_api_v1_trials')"


async def test_swagger_ui_try_it_out(client: Client) -> None:
    async with open_page(f"http://127.0.0.1:{client.port}/api/docs") as page:
        count = await page.wait_for("document.querySelectorAll('.opblock').length")
        assert count == 9
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
