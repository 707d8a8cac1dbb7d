"""Korean documents indexed with mappings/trials.json are found by stems, across particles,
compounds, hanja and mixed Korean/English text."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from elasticsearch import AsyncElasticsearch

import mappings
from trials.settings import Settings

DOCS = {
    "diabetes": "제2형 당뇨병의 새로운 치료제 효과",
    "trial": "대규모 임상시험을 통한 고혈압 약물 비교",
    "hanja": "大韓民國 성인의 장기 추적 임상시험",
    "covid": "COVID-19 백신의 면역원성 평가",
    "english": "Long-term follow-up of diabetic patients",
    "unrelated": "소아 천식 환자의 흡입기 사용 실태",
}


@pytest.fixture(scope="module")
async def titles_index(es: AsyncElasticsearch, settings: Settings) -> AsyncIterator[str]:
    index = f"{settings.index_prefix}korean-search"
    body = mappings.load("trials").body
    await es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    for doc_id, title in DOCS.items():
        await es.index(index=index, id=doc_id, document={"id": doc_id, "title": title})
    await es.indices.refresh(index=index)
    yield index
    await es.indices.delete(index=index)


async def search(es: AsyncElasticsearch, index: str, text: str) -> set[str]:
    query = {"multi_match": {"query": text, "fields": ["title", "title.en"]}}
    result = await es.search(index=index, query=query)
    return {hit["_id"] for hit in result["hits"]["hits"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("당뇨병", {"diabetes"}),  # title has 당뇨병의
        ("임상시험", {"trial", "hanja"}),  # 임상시험을, and 臨床試驗 read as 임상시험
        ("임상", {"trial", "hanja"}),  # a part of the compound
        ("백신", {"covid"}),  # 백신의
        ("covid", {"covid"}),  # Latin tokens in Korean text, lower-cased
        ("diabetic", {"english"}),
        ("치료제의 효과를", {"diabetes"}),  # particles in the query are dropped too
    ],
)
async def test_found_by_stem(
    es: AsyncElasticsearch, titles_index: str, text: str, expected: set[str]
) -> None:
    assert await search(es, titles_index, text) == expected


async def test_particles_alone_match_nothing(es: AsyncElasticsearch, titles_index: str) -> None:
    assert await search(es, titles_index, "의 을 를") == set()
