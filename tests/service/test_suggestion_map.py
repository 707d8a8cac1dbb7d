"""The suggestions in memory (`service.suggestion_map`) against the real node: they answer as the
suggestion index's query does for the starts of every recorded entry's names (Korean, English,
초성, one to three letters, whole words, longer than the stored prefixes), a change to the index
is in them once they are loaded again, and until they are loaded (or while there is no index)
the API asks the node."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan

from indexer.suggestions import Entry
from service.app import create_app
from service.routes.suggest import KEEPER
from service.suggestion_map import SuggestionKeeper, SuggestionMap
from service.suggestions import items, suggest_body
from testkit.recorded_sync import index_recorded
from trials.concepts.hangul import has_hangul
from trials.indices import Names, create_index
from trials.settings import Settings
from trials.suggest_keys import MAX_PREFIX, chosung_keys, keys

Client = TestClient[Any, Any]
SAMPLE = 1000  # of the ~23,000 starts of the recorded entries' keys: each is three queries


async def from_the_index(es: AsyncElasticsearch, alias: str, q: str, limit: int) -> list[Any]:
    """What the node answers for `q`: the query the API asked before the map."""
    found = await es.search(index=alias, **suggest_body(q, limit))
    return items(found["hits"]["hits"], limit)


def starts(key: str) -> set[str]:
    """What someone typing towards `key` sends: its first one to three letters, its first word,
    the whole key, and (for a long key) more than the index stores as prefixes."""
    typed = {key[:n] for n in (1, 2, 3)} | {key.split(" ")[0], key}
    if len(key) > MAX_PREFIX:
        typed.add(key[: MAX_PREFIX + 2])
    return typed


@pytest.fixture(scope="module")
async def recorded(es: AsyncElasticsearch, settings: Settings) -> Names:
    return Names.from_settings(await index_recorded(es, settings, f"{settings.index_prefix}sm-"))


async def test_the_map_answers_as_the_index_does(es: AsyncElasticsearch, recorded: Names) -> None:
    keeper = SuggestionKeeper(es, recorded.suggest)
    assert await keeper.refresh()
    assert keeper.map is not None
    stored = [h["_source"] async for h in async_scan(es, index=recorded.suggest)]
    every = sorted({t for s in stored for key in (*s["keys"], *s["chosung"]) for t in starts(key)})
    typed = every[:: max(1, len(every) // SAMPLE)]  # spread over Latin, 초성 and Hangul
    typed += [s["text"].upper() for s in stored[:50]]  # as written, in another letter case
    assert any(has_hangul(t) for t in typed)
    assert any(t.isascii() for t in typed)
    assert any(t in s["chosung"] for s in stored for t in typed)
    assert any(len(t) > MAX_PREFIX for t in typed)
    differ, answered = [], 0
    for q in typed:
        for limit in (1, 10, 20):
            expected = await from_the_index(es, recorded.suggest, q, limit)
            answered += bool(expected)
            if keeper.map.suggested(q, limit) != expected:
                differ.append((q, limit))
    assert differ == [], f"{len(differ)} of {3 * len(typed)} answers differ"
    # typed from real entries, so nearly all find something (not: 초성 past a hyphen, b-ㅅ)
    assert answered > 0.9 * 3 * len(typed)


def entry(text: str, kind: str, count: int) -> Entry:
    return Entry(text, kind, count, keys([text]), chosung_keys([text]))


@pytest.fixture
async def small(es: AsyncElasticsearch, settings: Settings) -> AsyncIterator[Settings]:
    """A suggestion index of two entries, under a prefix of its own."""
    own = replace(settings, index_prefix=f"{settings.index_prefix}sm-small-")
    await suggestion_index(es, own)
    for e in (entry("Venetoclax", "intervention", 3), entry("서울대학교병원", "institution", 7)):
        await write(es, own, e)
    yield own
    await es.indices.delete(index=f"{own.index_prefix}*")


async def suggestion_index(es: AsyncElasticsearch, settings: Settings) -> None:
    """The suggestion index alone (what the indexer creates with the others)."""
    index = await create_index(es, settings, "suggest")
    await es.indices.put_alias(index=index, name=Names.from_settings(settings).suggest)


async def write(es: AsyncElasticsearch, settings: Settings, e: Entry) -> None:
    alias = Names.from_settings(settings).suggest
    await es.index(index=alias, id=e.doc_id, document=e.source(), refresh=True)


def texts(found: list[dict[str, Any]]) -> list[str]:
    return [item["text"] for item in found]


async def test_a_change_to_the_index_is_in_the_map_once_loaded_again(
    es: AsyncElasticsearch, small: Settings
) -> None:
    alias = Names.from_settings(small).suggest
    keeper = SuggestionKeeper(es, alias)
    assert await keeper.refresh()
    assert not await keeper.refresh()  # nothing changed: not loaded again

    async def answers(q: str) -> list[str]:
        assert await keeper.refresh()
        assert keeper.map is not None
        found = keeper.map.suggested(q, 10)
        assert found == await from_the_index(es, alias, q, 10)
        return texts(found)

    await write(es, small, entry("Venlafaxine", "intervention", 5))
    assert await answers("ven") == ["Venlafaxine", "Venetoclax"]
    await write(es, small, entry("Venetoclax", "intervention", 9))  # more trials now
    assert await answers("ven") == ["Venetoclax", "Venlafaxine"]
    await es.delete(index=alias, id=entry("Venlafaxine", "intervention", 5).doc_id, refresh=True)
    assert await answers("ven") == ["Venetoclax"]


async def test_the_app_loads_again_by_itself(es: AsyncElasticsearch, small: Settings) -> None:
    keeper = SuggestionKeeper(es, Names.from_settings(small).suggest)
    checking = asyncio.create_task(keeper.keep_fresh(every_s=0.05))
    try:
        await write(es, small, entry("Venlafaxine", "intervention", 5))
        for _ in range(200):
            if keeper.map and texts(keeper.map.suggested("venl", 10)) == ["Venlafaxine"]:
                break
            await asyncio.sleep(0.05)
        assert keeper.map is not None
        assert texts(keeper.map.suggested("venl", 10)) == ["Venlafaxine"]
    finally:
        checking.cancel()


async def test_a_failed_check_keeps_the_map(
    es: AsyncElasticsearch, small: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    alias = Names.from_settings(small).suggest
    keeper = SuggestionKeeper(es, alias)
    await keeper.refresh()
    loaded = keeper.map
    await es.indices.close(index=alias)  # searches fail (index_closed_exception), as when away
    checking = asyncio.create_task(keeper.keep_fresh(every_s=0.05))
    try:
        with caplog.at_level(logging.WARNING, logger="service.suggestion_map"):
            for _ in range(200):
                if "suggestions not reloaded" in caplog.text:
                    break
                await asyncio.sleep(0.05)
        assert "the map in memory kept" in caplog.text
        assert keeper.map is loaded
    finally:
        checking.cancel()
        await es.indices.open(index=alias)


async def suggested(api: Client, q: str, limit: int) -> list[dict[str, Any]]:
    response = await api.get("/api/v1/suggest", params={"q": q, "limit": str(limit)})
    assert response.status == 200, await response.text()
    return list((await response.json())["items"])


async def test_without_the_map_the_node_answers(es: AsyncElasticsearch, settings: Settings) -> None:
    own = replace(settings, index_prefix=f"{settings.index_prefix}sm-later-")
    async with TestClient(TestServer(create_app(own, es=es))) as api:
        keeper = api.app[KEEPER]
        await keeper.refresh()  # after the one the app started with (one at a time)
        assert keeper.map is None  # no index yet
        assert await suggested(api, "venet", 10) == []

        await suggestion_index(es, own)
        await write(es, own, entry("Venetoclax", "intervention", 3))
        assert keeper.map is None  # not checked again yet: the node answers
        assert texts(await suggested(api, "venet", 9)) == ["Venetoclax"]

        assert await keeper.refresh()
        await write(es, own, entry("Venetoclax Plus", "intervention", 4))
        assert texts(await suggested(api, "venet", 8)) == ["Venetoclax"]  # from memory

        await es.indices.delete(index=f"{own.index_prefix}*")
        assert not await keeper.refresh()
        assert keeper.map is None  # the index went: the node is asked, and has none
        assert await suggested(api, "venet", 7) == []


def test_a_crowded_start_keeps_its_first_ranks() -> None:
    """A start shared by many keys answers from the ranks kept for it, as a scan of them all."""
    ordered = [
        {
            "text": f"seoul {n:03d}",
            "kind": "institution",
            "count": 500 - n,
            "keys": [f"seoul {n:03d}"],
        }
        for n in range(300)
    ]
    built = SuggestionMap.build(ordered)
    assert "seoul" in built.crowded
    assert "seoul 0" in built.crowded
    assert texts(built.suggested("seo", 20)) == [f"seoul {n:03d}" for n in range(20)]
    assert texts(built.suggested("seoul 29", 20)) == [f"seoul {n:03d}" for n in range(290, 300)]


def test_a_start_ending_in_the_last_code_point_is_no_error() -> None:
    last = chr(0x10FFFF)
    ordered = [
        {"text": text, "kind": "institution", "count": 1, "keys": [text]}
        for text in (f"a{last}", f"a{last}b", "b")
    ]
    built = SuggestionMap.build(ordered)
    assert texts(built.suggested(f"a{last}", 10)) == [f"a{last}", f"a{last}b"]
    assert built.suggested(last, 10) == []
