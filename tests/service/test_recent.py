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


# By the registry's dates (days ago, or the record's dates): KCT0011569 registered 4, updated
# 3; KCT0011568 re-dated by its registry 2 days ago (unchanged for us); C100002 updated 1,
# C130011 1.5, NCT05923281 5, each registered weeks before. ClinicalTrials.gov records:
# NCT05819398 registered 2023-04-19, updated 2023-06-27; NCT05803083 registered and updated
# 2023-04-07; NCT05905653 registered and updated 2023-06-15.
REGISTRY_UPDATED = ["icreat:C100002", "icreat:C130011", "cris:KCT0011568", "ctgov:NCT05923281"]


async def test_registry_basis_default_window(client: Client) -> None:
    body = await page(client, "basis=registry")
    listed = [(i["id"], i["change"]) for i in body["items"]]
    assert listed == [
        ("icreat:C100002", "updated"),
        ("icreat:C130011", "updated"),  # first seen by us 2 days ago, registered long before
        ("cris:KCT0011568", "updated"),  # not a change to us: not in the index's lists
        ("cris:KCT0011569", "created"),
        ("ctgov:NCT05923281", "updated"),
    ]  # newest registry date first


@pytest.mark.parametrize(
    ("change", "expected"), [("created", ["cris:KCT0011569"]), ("updated", REGISTRY_UPDATED)]
)
async def test_registry_basis_change_kinds(
    client: Client, change: str, expected: list[str]
) -> None:
    # KCT0011569's update date is in the window too, but it was registered in it: created only
    body = await page(client, f"basis=registry&change={change}")
    assert [i["id"] for i in body["items"]] == expected
    assert {i["change"] for i in body["items"]} == {change}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [("ctgov:NCT05819398", "updated"), ("ctgov:NCT05905653", "created")]),
        ("&change=created", [("ctgov:NCT05905653", "created")]),
        ("&change=updated", [("ctgov:NCT05819398", "updated")]),
        ("&basis=index", []),  # our index first saw them this year
    ],
)
async def test_registry_dates_of_a_past_month(
    client: Client, query: str, expected: list[tuple[str, str]]
) -> None:
    window = "updated_from=2023-06-01&updated_to=2023-06-30"
    basis = "" if "basis" in query else "&basis=registry"
    body = await page(client, f"{window}{basis}{query}")
    assert [(i["id"], i["change"]) for i in body["items"]] == expected


async def test_registry_dates_bare_days_are_inclusive(client: Client) -> None:
    body = await page(client, "basis=registry&updated_from=2023-04-07&updated_to=2023-04-19")
    # newest registry date first: NCT05819398's update (2023-06-27), then NCT05803083's
    assert [(i["id"], i["change"]) for i in body["items"]] == [
        ("ctgov:NCT05819398", "created"),
        ("ctgov:NCT05803083", "created"),
    ]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("basis=source", "basis"),
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
