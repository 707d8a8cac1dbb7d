"""Recall@10 of the judged queries (judged.toml) over the recorded records of all three
registries: cross-lingual queries find the other language's records, and same-language queries
lose nothing against today's ranking (expansion off, measured in the same test).

Each query goes through the search's own query builder (`service.search.search_body`, the body
the API sends) to the real node."""

from __future__ import annotations

from statistics import mean

import pytest
from elasticsearch import AsyncElasticsearch

from service.search import SearchParams, search_body
from tests.search_quality.judged import (
    CROSS,
    RELEVANT_SOURCES,
    SAME,
    SCOPE,
    Direction,
    Judged,
    load,
    recall_at_10,
)

JUDGED = load()
TARGET = 0.9


async def ranked(
    es: AsyncElasticsearch, alias: str, q: str, sources: tuple[str, ...], expand: bool = True
) -> list[str]:
    body = search_body(SearchParams(q=q, sources=sources, expand=expand))
    body = {"query": body["query"], "sort": body["sort"], "_source": ["id"], "size": 10}
    found = await es.search(index=alias, body=body)
    return [hit["_source"]["id"] for hit in found["hits"]["hits"]]


async def recalls(
    es: AsyncElasticsearch, alias: str, direction: Direction, *, expand: bool, scoped: bool = True
) -> dict[str, float]:
    result = {}
    for judged in (j for j in JUDGED if j.direction == direction):
        sources = SCOPE[direction] if scoped else ()
        top = await ranked(es, alias, judged.q, sources, expand)
        result[judged.q] = recall_at_10(top, judged.relevant)
    return result


def _short(found: dict[str, float]) -> str:
    return ", ".join(f"{q} {r:.2f}" for q, r in found.items() if r < 1)


async def test_the_judged_set_is_large_and_names_stored_records(
    es: AsyncElasticsearch, alias: str
) -> None:
    count = {d: sum(1 for j in JUDGED if j.direction == d) for d in (*CROSS, *SAME)}
    assert count["ko-en"] + count["en-ko"] >= 40
    assert min(count["ko-en"], count["en-ko"]) >= 20
    assert min(count["ko"], count["en"]) >= 5
    ids = sorted({doc_id for j in JUDGED for doc_id in j.relevant})
    stored = await es.mget(index=alias, ids=ids, source=False)
    assert [d["_id"] for d in stored["docs"] if not d["found"]] == []
    for judged in JUDGED:
        assert all(why.strip() for why in judged.relevant.values()), judged.q
        wrong = [
            i for i in judged.relevant if i.split(":")[0] not in RELEVANT_SOURCES[judged.direction]
        ]
        assert wrong == [], f"{judged.q}: {wrong} are not {judged.direction} records"


@pytest.mark.parametrize("direction", CROSS)
async def test_cross_lingual_recall_at_10(
    es: AsyncElasticsearch, alias: str, direction: Direction
) -> None:
    today = await recalls(es, alias, direction, expand=False)
    expanded = await recalls(es, alias, direction, expand=True)
    assert mean(expanded.values()) >= TARGET, f"below 1: {_short(expanded)}"
    assert mean(today.values()) < 0.2  # the words alone find (almost) none of them


@pytest.mark.parametrize("direction", CROSS)
async def test_across_every_registry_a_first_page_shows_the_other_language(
    es: AsyncElasticsearch, alias: str, direction: Direction
) -> None:
    """Unscoped, the query's own language ranks first; the other language still reaches the
    first page for nearly every query."""
    expanded = await recalls(es, alias, direction, expand=True, scoped=False)
    shown = [q for q, r in expanded.items() if r > 0]
    assert len(shown) / len(expanded) >= TARGET, f"none on page 1: {_short(expanded)}"


@pytest.mark.parametrize("direction", SAME)
async def test_same_language_queries_lose_nothing(
    es: AsyncElasticsearch, alias: str, direction: Direction
) -> None:
    today = await recalls(es, alias, direction, expand=False)
    expanded = await recalls(es, alias, direction, expand=True)
    dropped = {q: (today[q], expanded[q]) for q in today if expanded[q] < today[q]}
    assert dropped == {}
    assert mean(expanded.values()) >= mean(today.values())


def test_recall_counts_what_ten_places_can_hold() -> None:
    judged = Judged("q", "ko-en", {f"ctgov:{n}": "r" for n in range(12)})
    assert recall_at_10([f"ctgov:{n}" for n in range(10)], judged.relevant) == 1.0
    assert recall_at_10(["ctgov:0", "x"], {"ctgov:0": "r", "ctgov:1": "r"}) == 0.5
