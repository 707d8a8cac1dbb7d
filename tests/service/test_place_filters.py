"""GET /api/v1/trials?country=…&region=…&site=…&near=…: where a trial runs, on the real node.

Sites in the corpus (tests/service/named_trials.py): KCT0011569 부산대학교병원 (부산광역시);
KCT0011568 분당차병원 (경기도); KCT0009001 서울대학교병원 (서울특별시) and 경북대학교병원
(대구광역시); KCT0009002 전남대학교병원 (no region stated); NCT05923281 Goyang (경기도) and
Busan (부산광역시), both with points; NCT05819398 Los Angeles (US), Tokyo (JP, no point) and
Seoul (서울특별시, a point); NCT05803083 Tokyo (JP); NCT05905653 Osaka (JP). CRIS gives no
points.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from service.geo import GeoPoint, distance_km
from tests.service.named_trials import BUSAN, GOYANG

Client = TestClient[Any, Any]
SEOUL_CENTRE = "37.566,126.9784"
BUSAN_STATION = GeoPoint(35.1151, 129.0414)


async def page(client: Client, query: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def ids(client: Client, query: str) -> list[str]:
    return [item["id"] for item in (await page(client, f"{query}&limit=100"))["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=us", {"ctgov:NCT05819398"}),  # any letter case
        ("country=JP", {"ctgov:NCT05819398", "ctgov:NCT05803083", "ctgov:NCT05905653"}),
        ("country=US&country=jp", {"ctgov:NCT05819398", "ctgov:NCT05803083", "ctgov:NCT05905653"}),
        ("region=서울특별시", {"cris:KCT0009001", "ctgov:NCT05819398"}),
        ("region=서울", {"cris:KCT0009001", "ctgov:NCT05819398"}),  # short form
        ("region=서울시", {"cris:KCT0009001", "ctgov:NCT05819398"}),
        ("region=경기&region=부산", {"cris:KCT0011568", "ctgov:NCT05923281", "cris:KCT0011569"}),
        ("region=대구광역시&country=KR", {"cris:KCT0009001"}),
        ("region=강원도", set()),  # the former name of 강원특별자치도: valid, no site there
        ("site=분당차병원", {"cris:KCT0011568"}),
        ("site=pusan national", {"ctgov:NCT05923281"}),
        ("site=Pusan Severance", set()),  # every word must be in its sites' names
        # 대학교 + 병원, in 차의과학대학교 분당차병원 too
        (
            "site=대학교병원",
            {"cris:KCT0011569", "cris:KCT0011568", "cris:KCT0009001", "cris:KCT0009002"},
        ),
    ],
)
async def test_place_filters(client: Client, query: str, expected: set[str]) -> None:
    assert set(await ids(client, query)) == expected


async def test_near_finds_sites_within_the_radius_nearest_first(client: Client) -> None:
    body = await page(client, f"near={SEOUL_CENTRE}")  # within 50 km by default
    assert [i["id"] for i in body["items"]] == ["ctgov:NCT05819398", "ctgov:NCT05923281"]
    centre = GeoPoint(37.566, 126.9784)
    goyang = distance_km(centre, GeoPoint(**GOYANG))  # NCT05923281's nearest site
    assert [i["distance_km"] for i in body["items"]] == [0.0, pytest.approx(goyang, abs=0.01)]
    assert 15 < goyang < 17
    # a radius just short of Goyang leaves NCT05923281 out
    short = await ids(client, f"near={SEOUL_CENTRE}&within_km={goyang - 0.05:.2f}")
    assert short == ["ctgov:NCT05819398"]


async def test_the_distance_is_to_the_nearest_site(client: Client) -> None:
    near = f"near={BUSAN_STATION.lat},{BUSAN_STATION.lon}"
    body = await page(client, f"{near}&within_km=20")
    (item,) = body["items"]  # NCT05923281's Busan site; its Goyang site is 300 km off
    assert item["id"] == "ctgov:NCT05923281"
    assert item["distance_km"] == pytest.approx(
        distance_km(BUSAN_STATION, GeoPoint(**BUSAN)), abs=0.01
    )


async def test_near_with_another_sort_computes_the_same_distances(client: Client) -> None:
    """Whatever the order, `distance_km` is computed from the stored sites; sorted by
    distance (the node's own), the trials come in the order of those distances."""
    by_node = await page(client, f"near={SEOUL_CENTRE}&within_km=400&sort=distance")
    ours = await page(client, f"near={SEOUL_CENTRE}&within_km=400&sort=changed_at")
    node_km = {i["id"]: i["distance_km"] for i in by_node["items"]}
    our_km = {i["id"]: i["distance_km"] for i in ours["items"]}
    assert set(node_km) == {"ctgov:NCT05819398", "ctgov:NCT05923281"}
    assert our_km == pytest.approx(node_km, abs=0.01)
    assert list(node_km.values()) == sorted(node_km.values())


async def test_near_with_a_query_sorts_by_relevance_unless_asked(client: Client) -> None:
    body = await page(client, f"q=semaglutide&near={SEOUL_CENTRE}")
    assert [i["id"] for i in body["items"]] == ["ctgov:NCT05923281"]
    assert body["items"][0]["score"] is not None
    assert body["items"][0]["distance_km"] > 15


async def test_items_carry_a_distance_only_near_a_point(client: Client) -> None:
    body = await page(client, "country=KR&limit=100")
    assert all("distance_km" not in item for item in body["items"])


async def test_a_distance_walk_pages_by_cursor(client: Client) -> None:
    first = await page(client, f"near={SEOUL_CENTRE}&within_km=400&limit=1&cursor=*")
    second = await page(client, f"cursor={first['next_cursor']}")
    assert [i["id"] for i in first["items"] + second["items"]] == [
        "ctgov:NCT05819398",
        "ctgov:NCT05923281",
    ]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("sort=distance", "sort"),  # distance from nowhere
        ("within_km=10", "within_km"),
        (f"near={SEOUL_CENTRE}&within_km=0", "within_km"),
        (f"near={SEOUL_CENTRE}&within_km=-5", "within_km"),
        (f"near={SEOUL_CENTRE}&within_km=20001", "within_km"),
        (f"near={SEOUL_CENTRE}&within_km=NaN", "within_km"),
        ("near=91,0", "near"),
        ("near=0,181", "near"),
        ("near=37.5", "near"),
        ("near=37.5,126.9,3", "near"),
        ("near=north,east", "near"),
        ("near=nan,nan", "near"),
        ("near=inf,0", "near"),
        ("region=서을", "region"),  # a typo
        ("region=Seoul", "region"),  # the Korean name is asked for
        ("region=" + "서" * 300, "region"),
        ("country=KOR", "country"),  # alpha-2 only
        ("country=k1", "country"),
        ("country=한국", "country"),
        ("site=" + "x" * 201, "site"),
    ],
)
async def test_bad_place_parameters_are_named(client: Client, query: str, name: str) -> None:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert name in [e["name"] for e in body["errors"]]
    if name == "region":
        assert "서울특별시" in body["detail"]  # the problem lists the names it knows


@pytest.mark.parametrize(
    "query",
    [
        "near=90,180&within_km=20000",  # the corners of the valid ranges
        "near=-90,-180&within_km=1e-300",
        "near=1e1,2e1&within_km=0.000001",
        "near=%2037.5%20,%20126.9%20",  # spaces around the numbers
        "near=-0,-0&sort=distance&q=semaglutide",
        "age=0&age=150",  # the first of a repeated single value wins
        "region=%20서울%20",
        "site=%20",
    ],
)
async def test_extreme_valid_values_are_answered(client: Client, query: str) -> None:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 200, await response.text()
