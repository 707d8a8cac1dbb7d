"""`near` sorted by distance on the recorded registries: every CT.gov study with a site in
Korea, each with its recorded sites' points. The node orders by its own distance to each
trial's nearest site (`service.geo.nearest_first`); the distances shown are computed here from
the stored sites, so the order is checked against them."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
SEOUL_CITY_HALL = "37.5663,126.9779"
BUSAN_STATION = "35.1151,129.0414"


async def _page(api: Client, query: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/trials?{query}")
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def test_trials_come_nearest_first_by_their_nearest_site(api: Client) -> None:
    for point in (SEOUL_CITY_HALL, BUSAN_STATION):
        body = await _page(api, f"near={point}&within_km=20000&sort=distance&limit=100")
        km = [item["distance_km"] for item in body["items"]]
        assert len(km) == 100, point  # every study with a point is within 20,000 km
        assert len(set(km)) >= 40, point  # at many distances
        assert km == sorted(km), point
        assert all(item["score"] is None for item in body["items"])  # no relevance to show


async def test_a_cursor_walk_is_the_same_order_as_one_page(api: Client) -> None:
    query = f"near={BUSAN_STATION}&within_km=20000&sort=distance"
    whole = [i["id"] for i in (await _page(api, f"{query}&limit=60"))["items"]]
    walked: list[str] = []
    body = await _page(api, f"{query}&limit=7&cursor=*")
    while True:
        walked += [i["id"] for i in body["items"]]
        if not body["next_cursor"] or len(walked) >= len(whole):
            break
        body = await _page(api, f"cursor={body['next_cursor']}")
    assert walked[: len(whole)] == whole
    assert len(set(walked)) == len(walked)


async def test_words_select_and_the_distance_orders(api: Client) -> None:
    """With `q`, sorted by distance: the words choose the trials, not their order."""
    query = f"q=leukemia&near={SEOUL_CITY_HALL}&within_km=20000"
    near_first = await _page(api, f"{query}&sort=distance&limit=100")
    by_relevance = await _page(api, f"{query}&limit=100")
    km = [item["distance_km"] for item in near_first["items"]]
    assert km == sorted(km)
    assert len(km) >= 5
    assert {i["id"] for i in near_first["items"]} == {i["id"] for i in by_relevance["items"]}
    assert near_first["total"] == by_relevance["total"]
