"""GET /api/v1/suggest over the recorded records of all three registries, synced for real (the
suggestions are built by the run): prefixes in Korean and English, 초성, interventions and
institutions, counts, order, limits, and the problems a bad `q` or `limit` gets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from service.answer_cache import AnswerCache
from service.app import create_app
from service.suggestions import items, matching, suggest_body
from testkit.recorded_sync import index_recorded
from trials.indices import Names
from trials.settings import Settings
from trials.suggest_keys import MAX_PREFIX, chosung_keys, keys, prefixes, typed_chosung

Client = TestClient[Any, Any]


@pytest.fixture(scope="module")
async def recorded(es: AsyncElasticsearch, settings: Settings) -> Settings:
    return await index_recorded(es, settings, f"{settings.index_prefix}sg-")


@pytest.fixture(scope="module")
async def api(es: AsyncElasticsearch, recorded: Settings) -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_app(recorded, es=es))) as client:
        yield client


async def suggested(api: Client, query: str) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/suggest?{query}")
    assert response.status == 200, await response.text()
    return list((await response.json())["items"])


def texts(found: list[dict[str, Any]]) -> list[str]:
    return [item["text"] for item in found]


async def trials_with(es: AsyncElasticsearch, recorded: Settings, concept: str) -> int:
    """What a search for the concept finds: trials tagged with it or a narrower one."""
    carries = [{"term": {"concepts.id": concept}}, {"term": {"concept_ancestors": concept}}]
    found = await es.count(
        index=Names.from_settings(recorded).trials,
        query={"bool": {"should": carries, "must_not": [{"exists": {"field": "removed_at"}}]}},
    )
    return int(found["count"])


async def test_a_korean_prefix_completes_any_word_of_a_name(
    api: Client, es: AsyncElasticsearch, recorded: Settings
) -> None:
    found = await suggested(api, "q=당뇨")
    assert texts(found)[:2] == ["당뇨병", "제2형 당뇨병"]  # 제2형 당뇨병: its second word
    diabetes = found[0]
    assert diabetes == {
        "text": "당뇨병",
        "kind": "condition",
        "ko": "당뇨병",
        "en": "Diabetes",
        "concept": "diabetes",
        "count": await trials_with(es, recorded, "diabetes"),
    }
    assert diabetes["count"] > found[1]["count"] > 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [("ㄷㄴㅂ", "당뇨병"), ("ㅍㅇ", "폐암"), ("ㄷ ㄴ ㅂ", "당뇨병"), ("ㅈ2ㅎ", "제2형 당뇨병")],
)
async def test_chosung_finds_the_korean_names(api: Client, q: str, expected: str) -> None:
    assert expected in texts(await suggested(api, f"q={q}"))


async def test_an_english_prefix_gives_both_names(api: Client) -> None:
    found = await suggested(api, "q=diab")
    diabetes = next(item for item in found if item["concept"] == "diabetes")
    assert (diabetes["text"], diabetes["ko"], diabetes["en"]) == ("Diabetes", "당뇨병", "Diabetes")
    assert "Type 2 diabetes" in texts(found)
    assert texts(await suggested(api, "q=DIAB")) == texts(found)  # any letter case


async def test_spaces_typed_or_left_out(api: Client) -> None:
    assert "제2형 당뇨병" in texts(await suggested(api, "q=제2형당"))
    assert "Lung cancer" in texts(await suggested(api, "q=lung c"))


async def test_interventions_and_institutions_the_trials_name(api: Client) -> None:
    institution = (await suggested(api, "q=서울대"))[0]
    assert (institution["text"], institution["kind"]) == ("서울대학교병원", "institution")
    assert (institution["ko"], institution["en"], institution["concept"]) == (
        "서울대학교병원",
        None,
        None,
    )
    drug = next(i for i in await suggested(api, "q=venet") if i["text"] == "Venetoclax")
    assert drug["kind"] == "intervention"
    assert drug["count"] >= 3  # the recorded AML/ALL trials that give it


async def test_most_trials_first_then_by_text_and_each_concept_once(api: Client) -> None:
    found = await suggested(api, "q=car&limit=20")
    order = [(-item["count"], item["text"]) for item in found]
    assert order == sorted(order)
    concepts = [item["concept"] for item in found if item["concept"]]
    assert len(concepts) == len(set(concepts))  # CAR-T: a Korean and an English entry, once


async def test_limit(api: Client) -> None:
    assert len(await suggested(api, "q=a")) == 10
    assert len(await suggested(api, "q=a&limit=20")) == 20
    assert len(await suggested(api, "q=a&limit=3")) == 3


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=%20%20", "q"),
        (f"q={'가' * 101}", "q"),
        ("q=a&limit=21", "limit"),
        ("q=a&limit=0", "limit"),
    ],
)
async def test_a_bad_q_or_limit_is_a_problem(api: Client, query: str, name: str) -> None:
    response = await api.get(f"/api/v1/suggest?{query}")
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    assert name in {e["name"] for e in (await response.json())["errors"]}


async def test_nothing_matches(api: Client) -> None:
    assert await suggested(api, "q=zzqx") == []


async def test_no_suggestion_index_yet_answers_empty(
    es: AsyncElasticsearch, settings: Settings
) -> None:
    fresh = create_app(replace(settings, index_prefix=f"{settings.index_prefix}none-"), es=es)
    async with TestClient(TestServer(fresh)) as client:
        response = await client.get("/api/v1/suggest?q=당뇨")
        assert response.status == 200
        assert (await response.json())["items"] == []


def test_keys_start_at_every_word_with_and_without_spaces() -> None:
    assert keys(["제2형 당뇨병"]) == ["제2형 당뇨병", "제2형당뇨병", "당뇨병"]
    assert keys(["Non-small cell lung cancer"])[:4] == [
        "non-small cell lung cancer",
        "non-smallcelllungcancer",
        "small cell lung cancer",
        "smallcelllungcancer",
    ]
    assert chosung_keys(["제2형 당뇨병"]) == ["ㅈ2ㅎㄷㄴㅂ", "ㄷㄴㅂ"]


def test_what_is_typed_is_read_as_the_keys_are() -> None:
    assert typed_chosung("ㄷㄴㅂ") == "ㄷㄴㅂ"
    assert typed_chosung("ᄃᄂᄇ") == "ㄷㄴㅂ"  # conjoining jamo, as NFKC writes them
    assert typed_chosung("당뇨") is None
    assert typed_chosung("diab") is None
    body = suggest_body("Lung C", 5)
    assert body["query"]["bool"]["filter"] == [{"terms": {"prefixes": ["lung c", "lungc"]}}]
    assert body["size"] == 10  # twice the limit: a concept's two languages may both match
    assert matching("ㄷㄴㅂ") == {"terms": {"prefixes": ["ᄃᄂᄇ", "ㄷㄴㅂ"]}}
    longer = matching("non-small cell lung")  # longer than the stored prefixes
    assert longer["bool"]["should"] == [
        {"prefix": {"keys": "non-small cell lung"}},
        {"prefix": {"keys": "non-smallcelllung"}},
    ]


def test_every_key_prefix_is_stored() -> None:
    assert prefixes(["당뇨병", "ㄷㄴㅂ"]) == ["ㄷ", "ㄷㄴ", "ㄷㄴㅂ", "당", "당뇨", "당뇨병"]
    assert max(map(len, prefixes(["type 2 diabetes mellitus"]))) == MAX_PREFIX
    assert "type " not in prefixes(["type 2"])  # no prefix ends in a space


def test_items_keep_each_concept_and_name_once() -> None:
    def hit(text: str, kind: str, concept: str | None = None) -> dict[str, Any]:
        source = {"text": text, "kind": kind, "concept": concept, "ko": None, "en": None}
        return {"_source": {**source, "count": 1}}

    hits = [
        hit("CAR-T 세포치료", "intervention", "car_t"),
        hit("CAR T-cell therapy", "intervention", "car_t"),
        hit("Venetoclax", "intervention"),
        hit("venetoclax", "intervention"),
        hit("Venetoclax", "institution"),
    ]
    assert texts(items(hits)) == ["CAR-T 세포치료", "Venetoclax", "Venetoclax"]
    assert len(items(hits, limit=1)) == 1


def test_an_answer_is_kept_for_its_time_and_the_oldest_goes_first() -> None:
    now = [0.0]
    cache = AnswerCache(ttl_s=30, size=2, clock=lambda: now[0])
    cache.put("당뇨", b"1")
    assert cache.get("당뇨") == b"1"
    now[0] = 30.0
    assert cache.get("당뇨") is None  # expired: asked of the node again
    cache.put("a", b"a")
    cache.put("b", b"b")
    cache.put("c", b"c")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, b"b", b"c")


async def test_answers_say_how_long_they_keep(api: Client) -> None:
    response = await api.get("/api/v1/suggest?q=당뇨")
    assert response.headers["Cache-Control"] == "max-age=30"
    again = await api.get("/api/v1/suggest?q=%20당뇨%20")  # the same typed text, kept
    assert await again.read() == await response.read()
