"""A relevance page ranked in two phases (`service.search.first_phase`, then the exact query
over the window) is the exact ranking: the same trials match, and every hit of the window has
the score and place the exact query gives it. Over the recorded records of all three
registries, for every judged query (both languages, with and without expansion) and a
registry id; through the API, offset pages and a cursor walk list the same trials in the same
order."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from elasticsearch import AsyncElasticsearch

from service.search import RESCORE_WINDOW, SearchParams, search_body
from tests.search_quality.judged import SCOPE
from tests.search_quality.test_recall import JUDGED

QUERIES = [*sorted({j.q for j in JUDGED}), "nct05756322", "lung cancer surgery"]


async def hits(es: AsyncElasticsearch, alias: str, body: dict[str, Any]) -> list[Any]:
    body = {key: body[key] for key in ("query", "sort", "rescore") if key in body}
    found = await es.search(index=alias, body={**body, "size": RESCORE_WINDOW, "_source": False})
    assert found["hits"]["total"]["relation"] == "eq"
    return [(hit["_id"], hit["_score"]) for hit in found["hits"]["hits"]]


@pytest.mark.parametrize("expand", [True, False])
async def test_the_two_phases_rank_the_window_as_the_exact_query(
    es: AsyncElasticsearch, alias: str, expand: bool
) -> None:
    compared = 0
    for q in QUERIES:
        params = SearchParams(q=q, expand=expand)
        exact = await hits(es, alias, search_body(params))
        two = await hits(es, alias, search_body(params, page_end=RESCORE_WINDOW))
        assert len(exact) < RESCORE_WINDOW, q  # every match is in the window, and compared
        assert two == exact, q
        compared += len(exact)
    assert compared > 500  # the queries do find trials


async def test_the_first_phase_finds_the_same_trials_under_filters(
    es: AsyncElasticsearch, alias: str
) -> None:
    for judged in JUDGED:
        params = SearchParams(q=judged.q, sources=SCOPE[judged.direction])
        exact = await hits(es, alias, search_body(params))
        two = await hits(es, alias, search_body(params, page_end=20))
        assert sorted(two) == sorted(exact), judged.q


async def ids(api: TestClient[Any, Any], url: str) -> tuple[list[str], str | None]:
    response = await api.get(url)
    assert response.status == 200, await response.text()
    body = await response.json()
    return [item["id"] for item in body["items"]], body["next_cursor"]


@pytest.mark.parametrize("q", ["백혈병", "leukemia", "척추 수술"])
async def test_offset_pages_and_a_cursor_walk_agree(api: TestClient[Any, Any], q: str) -> None:
    """Ties included: the rescored window and the walk's point in time both keep index order."""
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
