"""Cursor pagination: a walk over a point in time sees each trial exactly once while another
task rewrites the sort keys; expired, tampered and mismatched cursors get a clear 400."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from elasticsearch import AsyncElasticsearch

from service.keys import CURSORS
from trials.indices import Names

Client = TestClient[Any, Any]
DEMO = "source=demo&sort=changed_at"


class Reshuffler:
    """Another writer: after each page it moves a trial not yet seen to the very front (a gap
    for naive paging) and a trial already seen to the very end (a duplicate), then adds a new
    trial; it restores the corpus when done."""

    def __init__(self, es: AsyncElasticsearch, names: Names, loaded: dict[str, Any]) -> None:
        self.es, self.names, self.loaded = es, names, loaded
        self.touched: set[str] = set()
        self.added: list[str] = []

    async def write(self, doc: dict[str, Any], **changes: Any) -> None:
        self.touched.add(doc["id"])
        await self.es.index(
            index=self.names.trials, id=doc["id"], document={**doc, **changes}, refresh=True
        )

    async def reshuffle(self, seen: set[str], step: int) -> None:
        demo = sorted(i for i in self.loaded if i.startswith("demo:"))
        unseen = [i for i in demo if i not in seen and i not in self.touched]
        done = [i for i in demo if i in seen and i not in self.touched]
        now = datetime.now(UTC)
        writes = []
        if unseen:
            writes.append(self.write(self.loaded[unseen[-1]], changed_at=now.isoformat()))
        if done:
            old = (now - timedelta(days=3650)).isoformat()
            writes.append(self.write(self.loaded[done[0]], changed_at=old))
        new = {
            **self.loaded[demo[0]],
            "id": f"demo:NEW{step}",
            "registry_id": f"NEW{step}",
            "changed_at": now.isoformat(),
        }
        self.added.append(new["id"])
        writes.append(self.write(new))
        await asyncio.gather(*writes)

    async def restore(self) -> None:
        for trial_id in self.touched - set(self.added):
            await self.es.index(
                index=self.names.trials, id=trial_id, document=self.loaded[trial_id]
            )
        for trial_id in self.added:
            await self.es.delete(index=self.names.trials, id=trial_id)
        await self.es.indices.refresh(index=self.names.trials)


@pytest.fixture
async def reshuffler(
    es: AsyncElasticsearch, names: Names, loaded: dict[str, Any]
) -> AsyncIterator[Reshuffler]:
    writer = Reshuffler(es, names, loaded)
    try:
        yield writer
    finally:
        await writer.restore()


async def get(client: Client, url: str) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def test_cursor_walk_sees_each_trial_once(client: Client, reshuffler: Reshuffler) -> None:
    body = await get(client, f"/api/v1/trials?{DEMO}&limit=7&cursor=*")
    seen = [i["id"] for i in body["items"]]
    offsets = [body["offset"]]
    step = 0
    while body["next_cursor"]:
        step += 1
        reshuffle = asyncio.create_task(reshuffler.reshuffle(set(seen), step))
        await reshuffle
        body = await get(client, f"/api/v1/trials?limit=7&cursor={body['next_cursor']}")
        seen += [i["id"] for i in body["items"]]
        offsets.append(body["offset"])
    demo = {f"demo:DEMO{n:04d}" for n in range(60)}
    assert sorted(seen) == sorted(demo)  # no duplicate, no gap, nothing added mid-walk
    assert offsets == list(range(0, 60, 7))
    assert step == 8
    assert len(reshuffler.touched) > 10


async def test_offset_paging_under_the_same_writes_does_break(
    client: Client, reshuffler: Reshuffler
) -> None:
    """The control: the writer really does disturb naive paging, so the walk test can fail."""
    seen: list[str] = []
    for step, offset in enumerate(range(0, 63, 7)):
        body = await get(client, f"/api/v1/trials?{DEMO}&limit=7&offset={offset}")
        seen += [i["id"] for i in body["items"]]
        await reshuffler.reshuffle(set(seen), step)
    assert len(seen) != len(set(seen)) or set(seen) != {f"demo:DEMO{n:04d}" for n in range(60)}


async def test_cursor_remembers_the_query(client: Client) -> None:
    first = await get(client, "/api/v1/trials?q=데모&limit=50&cursor=*")
    assert first["total"] == 60
    alone = await get(client, f"/api/v1/trials?cursor={first['next_cursor']}&limit=50")
    same = await get(client, f"/api/v1/trials?q=데모&cursor={first['next_cursor']}&limit=50")
    assert [i["id"] for i in alone["items"]] == [i["id"] for i in same["items"]]
    assert len(alone["items"]) == 10
    assert alone["next_cursor"] is None
    assert alone["offset"] == 50


async def test_recent_cursor_walk(client: Client) -> None:
    body = await get(client, "/api/v1/trials/recent?updated_from=2000-01-01&limit=30&cursor=*")
    seen = [i["id"] for i in body["items"]]
    while body["next_cursor"]:
        body = await get(client, f"/api/v1/trials/recent?cursor={body['next_cursor']}")
        seen += [i["id"] for i in body["items"]]
    assert len(seen) == len(set(seen)) == 73


async def problem(client: Client, url: str) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    return dict(await response.json())


async def test_tampered_cursor(client: Client) -> None:
    token = (await get(client, "/api/v1/trials?limit=5&cursor=*"))["next_cursor"]
    body, _, mac = token.partition(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac
    for bad in (forged, token[:-3], "garbage", "...", token + "x"):
        found = await problem(client, f"/api/v1/trials?cursor={bad}")
        assert found["errors"][0]["name"] == "cursor"


async def test_cursor_of_another_endpoint(client: Client) -> None:
    token = (await get(client, "/api/v1/trials?limit=5&cursor=*"))["next_cursor"]
    found = await problem(client, f"/api/v1/trials/recent?cursor={token}")
    assert "another endpoint" in found["detail"]


async def test_cursor_with_other_parameters(client: Client) -> None:
    token = (await get(client, "/api/v1/trials?q=데모&limit=5&cursor=*"))["next_cursor"]
    found = await problem(client, f"/api/v1/trials?q=당뇨병&cursor={token}")
    assert found["errors"][0]["name"] == "cursor"
    found = await problem(client, f"/api/v1/trials?q=데모&offset=5&cursor={token}")
    assert found["errors"][0]["name"] == "offset"


async def test_expired_cursor(client: Client, es: AsyncElasticsearch) -> None:
    first = await get(client, "/api/v1/trials?limit=5&cursor=*")
    # Expire the walk's point in time the way the keep-alive would: close it.
    assert client.app is not None
    decoded = client.app[CURSORS].decode(first["next_cursor"], "search")
    await es.close_point_in_time(id=decoded.pit)
    found = await problem(client, f"/api/v1/trials?cursor={first['next_cursor']}")
    assert "expired" in found["detail"]
    assert "cursor=*" in found["detail"]
