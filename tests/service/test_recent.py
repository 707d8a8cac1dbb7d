"""GET /api/v1/trials/recent: created / updated in a window, newest first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]

# In the corpus (days ago): C130011 first seen 2, updated 1.5; KCT0011569 first seen 3;
# C100002 first seen 40, updated 1; NCT05923281 first seen 20, restored 5; KCT0000001 changed
# 1 but removed.
CREATED = ["icreat:C130011", "cris:KCT0011569"]
UPDATED = ["icreat:C100002", "icreat:C130011", "ctgov:NCT05923281"]


async def page(client: Client, query: str = "") -> dict[str, Any]:
    response = await client.get(f"/api/v1/trials/recent?{query}")
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def test_default_window_is_the_last_seven_days(client: Client) -> None:
    body = await page(client)
    assert [i["id"] for i in body["items"]] == [
        "icreat:C100002",
        "icreat:C130011",
        "cris:KCT0011569",
        "ctgov:NCT05923281",
    ]  # changed 1, 1.5, 3 and 5 days ago: newest first
    assert [i["change"] for i in body["items"]] == ["updated", "created", "created", "updated"]
    assert body["total"] == 4
    assert body["next_cursor"] is None


@pytest.mark.parametrize(("change", "expected"), [("created", CREATED), ("updated", UPDATED)])
async def test_change_kinds(client: Client, change: str, expected: list[str]) -> None:
    body = await page(client, f"change={change}")
    assert [i["id"] for i in body["items"]] == expected
    assert {i["change"] for i in body["items"]} == {change}


async def test_created_and_updated_in_one_window_is_in_both_lists(client: Client) -> None:
    lists = {change: await page(client, f"change={change}") for change in ("created", "updated")}
    for change, body in lists.items():
        item = next(i for i in body["items"] if i["id"] == "icreat:C130011")
        assert (item["change"], item["last_change"]) == (change, "updated")
    both = await page(client, "change=any")
    assert [i["id"] for i in both["items"]].count("icreat:C130011") == 1
    # created and never changed since: not an update, however recent
    assert "cris:KCT0011569" not in [i["id"] for i in lists["updated"]["items"]]


async def test_removed_on_request(client: Client) -> None:
    body = await page(client, "include_removed=true")
    assert "cris:KCT0000001" in [i["id"] for i in body["items"]]


async def test_explicit_window_and_source(client: Client, now: datetime) -> None:
    start = (now - timedelta(days=30)).isoformat()
    end = (now - timedelta(days=4)).isoformat()
    body = await page(client, f"updated_from={start}&updated_to={end}".replace("+", "%2B"))
    assert [i["id"] for i in body["items"]] == ["ctgov:NCT05923281", "icreat:C130010"]
    # NCT05923281 was first seen inside this window, so it counts once, as created.
    assert [i["change"] for i in body["items"]] == ["created", "created"]
    # ... and it was also restored in it (a restore counts as an update)
    window = f"updated_from={start}&updated_to={end}&change=updated".replace("+", "%2B")
    assert [i["id"] for i in (await page(client, window))["items"]] == ["ctgov:NCT05923281"]
    body = await page(client, f"updated_from={start[:10]}&source=icreat")
    assert "ctgov:NCT05923281" not in [i["id"] for i in body["items"]]


async def test_only_an_end_moves_the_default_start(client: Client, now: datetime) -> None:
    end = (now - timedelta(days=25)).date().isoformat()
    body = await page(client, f"updated_to={end}")
    changed = [datetime.fromisoformat(i["changed_at"]) for i in body["items"]]
    assert changed
    assert all(now - timedelta(days=34) < c < now - timedelta(days=24) for c in changed)


async def test_window_tie_breaker_is_the_id(client: Client) -> None:
    body = await page(client, "updated_from=2000-01-01&limit=100")
    keys = [(-datetime.fromisoformat(i["changed_at"]).timestamp(), i["id"]) for i in body["items"]]
    assert keys == sorted(keys)
    assert len(keys) == 73


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("change=deleted", "change"),
        ("updated_from=yesterday", "updated_from"),
        ("updated_from=2026-02-05&updated_to=2026-02-04", "updated_from"),
        (
            "updated_from=2025-01-01T00:00:00%2B09:00&updated_to=2024-12-31T14:59:59Z",
            "updated_from",
        ),
        ("limit=500", "limit"),
    ],
)
async def test_bad_parameters(client: Client, query: str, name: str) -> None:
    response = await client.get(f"/api/v1/trials/recent?{query}")
    assert response.status == 400
    assert name in [e["name"] for e in (await response.json())["errors"]]


async def test_same_instant_window_is_inclusive(client: Client) -> None:
    # 2025-01-01T00:00+09:00 is 2024-12-31T15:00Z: a one-instant window is allowed.
    response = await client.get(
        "/api/v1/trials/recent?updated_from=2025-01-01T00:00:00%2B09:00"
        "&updated_to=2024-12-31T15:00:00Z"
    )
    assert response.status == 200
