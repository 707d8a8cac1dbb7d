"""Through the API, the offset pages of a relevance search and a cursor walk over it list the
same trials in the same order, ties included (both keep index order), over the recorded
records of all three registries."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient


async def ids(api: TestClient[Any, Any], url: str) -> tuple[list[str], str | None]:
    response = await api.get(url)
    assert response.status == 200, await response.text()
    body = await response.json()
    return [item["id"] for item in body["items"]], body["next_cursor"]


@pytest.mark.parametrize("q", ["백혈병", "leukemia", "척추 수술"])
async def test_offset_pages_and_a_cursor_walk_agree(api: TestClient[Any, Any], q: str) -> None:
    offset_pages, page = [], ["first"]
    while page:
        url = f"/api/v1/trials?q={q}&limit=15&offset={len(offset_pages)}"
        page, _ = await ids(api, url)
        offset_pages += page
    walked, cursor = await ids(api, f"/api/v1/trials?q={q}&limit=15&cursor=*")
    while cursor:
        page, cursor = await ids(api, f"/api/v1/trials?limit=15&cursor={cursor}")
        walked += page
    assert len(offset_pages) >= 30
    assert walked == offset_pages
