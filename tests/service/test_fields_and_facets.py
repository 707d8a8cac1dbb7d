"""`fields=` keeps only the named top-level fields (search, recent, detail), an unknown name is
a 400 problem naming `fields`; `facets=false` skips the counts, and the pages a cursor
continues skip them unless asked."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from elasticsearch import AsyncElasticsearch

from trials.indices import Names

Client = TestClient[Any, Any]


async def ok(client: Client, url: str) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def test_search_items_keep_only_the_fields_named(client: Client) -> None:
    page = await ok(client, "/api/v1/trials?q=당뇨병&fields=registry_id,title,score")
    assert page["items"]
    for item in page["items"]:
        assert list(item) == ["registry_id", "title", "score"]  # in the order named
    full = await ok(client, "/api/v1/trials?q=당뇨병")
    assert [i["registry_id"] for i in page["items"]] == [i["registry_id"] for i in full["items"]]
    assert page["total"] == full["total"]


async def test_recent_items_keep_only_the_fields_named(client: Client) -> None:
    page = await ok(client, "/api/v1/trials/recent?fields=id,change")
    assert page["items"]
    assert all(set(item) == {"id", "change"} for item in page["items"])


async def test_detail_keeps_only_the_fields_named_and_its_etag_differs(client: Client) -> None:
    whole = await client.get("/api/v1/trials/KCT0011569")
    part = await client.get("/api/v1/trials/KCT0011569?fields=id,raw,sites")
    assert part.status == 200
    body = await part.json()
    assert set(body) <= {"id", "raw", "sites"}
    assert body["id"] == "cris:KCT0011569"
    assert part.headers["ETag"] != whole.headers["ETag"]
    again = await client.get(
        "/api/v1/trials/KCT0011569?fields=id,raw,sites",
        headers={"If-None-Match": part.headers["ETag"]},
    )
    assert again.status == 304


async def test_absent_fields_stay_absent(client: Client) -> None:
    page = await ok(client, "/api/v1/trials?fields=id,distance_km&limit=3")
    assert all(list(item) == ["id"] for item in page["items"])  # no near: no distance


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/api/v1/trials", "id,nope"),
        ("/api/v1/trials", ","),
        ("/api/v1/trials", "raw"),  # detail only
        ("/api/v1/trials/recent", "score"),  # search only
        ("/api/v1/trials/KCT0011569", "title,Title"),
        ("/api/v1/trials/export", "highlight"),
    ],
)
async def test_unknown_fields_are_a_problem_naming_fields(
    client: Client, path: str, fields: str
) -> None:
    response = await client.get(path, params={"fields": fields})
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    problem = await response.json()
    assert [e["name"] for e in problem["errors"]] == ["fields"]
    assert "choose among" in problem["errors"][0]["reason"]


async def test_facets_false_skips_the_counts(client: Client) -> None:
    counted = await ok(client, "/api/v1/trials?q=당뇨병")
    skipped = await ok(client, "/api/v1/trials?q=당뇨병&facets=false")
    assert counted["facets"]["source"]
    assert "facets" not in skipped
    assert skipped["items"] == counted["items"]


async def test_the_next_page_counts_from_the_nodes_request_cache(
    client: Client, es: AsyncElasticsearch, names: Names
) -> None:
    """A page's facets and exact total are counted apart from its hits, in a request the
    node's request cache keeps: the second page of a search is counted by the cache."""

    async def cache_hits() -> int:
        stats = await es.indices.stats(index=names.trials, metric="request_cache")
        return int(stats["_all"]["total"]["request_cache"]["hit_count"])

    first = await ok(client, "/api/v1/trials?q=study&limit=2&sort=changed_at")
    before = await cache_hits()
    second = await ok(client, "/api/v1/trials?q=study&limit=2&offset=2&sort=changed_at")
    assert await cache_hits() == before + 1
    assert second["facets"] == first["facets"]
    assert (second["total"], second["total_relation"]) == (first["total"], "eq")
    assert first["total"] > 4
    assert {i["id"] for i in second["items"]}.isdisjoint(i["id"] for i in first["items"])


async def test_continued_cursor_pages_skip_facets_unless_asked(client: Client) -> None:
    first = await ok(client, "/api/v1/trials?limit=5&cursor=*")
    assert first["facets"]["source"]
    cursor = first["next_cursor"]
    assert cursor
    second = await ok(client, f"/api/v1/trials?limit=5&cursor={cursor}")
    assert "facets" not in second
    asked = await ok(client, f"/api/v1/trials?limit=5&cursor={cursor}&facets=true")
    assert asked["facets"] == first["facets"]  # the same snapshot, the same counts
    assert asked["items"] == second["items"]
    silent = await ok(client, "/api/v1/trials?limit=5&cursor=*&facets=false")
    assert "facets" not in silent


async def test_a_cursor_remembers_the_fields(client: Client) -> None:
    first = await ok(client, "/api/v1/trials?limit=5&cursor=*&fields=id")
    second = await ok(client, f"/api/v1/trials?limit=5&cursor={first['next_cursor']}")
    assert second["items"]
    assert all(list(item) == ["id"] for item in second["items"])
