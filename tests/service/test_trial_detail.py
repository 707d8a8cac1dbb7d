"""GET /api/v1/trials/{trial_id}: by our id or the registry id; ETag and Last-Modified."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from elasticsearch import AsyncElasticsearch

from tests.service import corpus
from trials.indices import Names

Client = TestClient[Any, Any]


@pytest.mark.parametrize("trial_id", ["cris:KCT0011569", "KCT0011569", "kct0011569", "Kct0011569"])
async def test_found_by_document_or_registry_id(client: Client, trial_id: str) -> None:
    response = await client.get(f"/api/v1/trials/{trial_id}")
    assert response.status == 200
    body = await response.json()
    assert body["id"] == "cris:KCT0011569"
    assert body["institution"] == "부산대학교병원"
    assert body["raw"]["과제번호"] == "KCT0011569"  # provenance, on the detail only
    assert "last_run_id" not in body


@pytest.mark.parametrize("trial_id", ["C130010", "NCT05923281", "ctgov:NCT05923281"])
async def test_ids_of_every_registry(client: Client, trial_id: str) -> None:
    response = await client.get(f"/api/v1/trials/{trial_id}")
    assert response.status == 200
    assert (await response.json())["registry_id"] == trial_id.split(":")[-1]


@pytest.mark.parametrize(
    "trial_id",
    ["KCT9999999", "cris:KCT9999999", "ctgov:KCT0011569", "x" * 300, "%EB%8B%B9%EB%87%A8"],
)
async def test_absent_is_a_404_problem(client: Client, trial_id: str) -> None:
    response = await client.get(f"/api/v1/trials/{trial_id}")
    assert response.status == 404
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == 404
    assert body["instance"].startswith("/api/v1/trials/")


async def test_removed_trial_is_shown_with_its_tombstone(client: Client) -> None:
    body = await (await client.get("/api/v1/trials/KCT0000001")).json()
    assert body["removed_at"] is not None


async def test_etag_and_if_none_match(client: Client) -> None:
    first = await client.get("/api/v1/trials/C130010")
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    again = await client.get("/api/v1/trials/C130010", headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.headers["ETag"] == etag
    assert await again.read() == b""
    weak = await client.get("/api/v1/trials/C130010", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status == 304
    other = await client.get("/api/v1/trials/C130010", headers={"If-None-Match": '"stale"'})
    assert other.status == 200
    # Another trial has another tag.
    assert (await client.get("/api/v1/trials/C130011")).headers["ETag"] != etag


async def test_last_modified_and_if_modified_since(client: Client, loaded: dict[str, Any]) -> None:
    response = await client.get("/api/v1/trials/C130010")
    modified = parsedate_to_datetime(response.headers["Last-Modified"])
    changed = datetime.fromisoformat(loaded["icreat:C130010"]["changed_at"])
    assert modified == changed.replace(microsecond=0)
    for since, status in (
        (modified, 304),
        (modified + timedelta(days=1), 304),
        (modified - timedelta(seconds=1), 200),
    ):
        header = {"If-Modified-Since": format_datetime(since, usegmt=True)}
        assert (await client.get("/api/v1/trials/C130010", headers=header)).status == status
    garbage = await client.get("/api/v1/trials/C130010", headers={"If-Modified-Since": "soon"})
    assert garbage.status == 200


async def test_etag_changes_when_the_trial_changes(
    client: Client, es: Any, names: Any, loaded: dict[str, Any]
) -> None:
    doc = dict(loaded["cris:KCT0011568"])
    before = (await client.get("/api/v1/trials/KCT0011568")).headers["ETag"]
    changed = {**doc, "content_hash": "changed", "changed_at": doc["changed_at"]}
    await es.index(index=names.trials, id=doc["id"], document=changed, refresh="wait_for")
    try:
        response = await client.get("/api/v1/trials/KCT0011568", headers={"If-None-Match": before})
        assert response.status == 200
        assert response.headers["ETag"] != before
    finally:
        await es.index(index=names.trials, id=doc["id"], document=doc, refresh="wait_for")


@pytest.fixture
async def unrefreshed(es: AsyncElasticsearch, names: Names, now: datetime) -> AsyncIterator[None]:
    """A trial written after the last refresh, with refreshes off: a search cannot see it yet,
    a realtime GET can. Removed again afterwards, so the corpus totals stay exact."""
    spec = corpus.Spec("cris", "KCT0099999", "실시간 조회 연구", 0, 0)
    doc = corpus.trial_doc(spec, now)
    await es.indices.put_settings(index=names.trials, settings={"refresh_interval": "-1"})
    try:
        await es.index(index=names.trials, id=doc["id"], document=doc, refresh=False)
        yield
    finally:
        await es.delete(index=names.trials, id=doc["id"], refresh=True)
        await es.indices.put_settings(index=names.trials, settings={"refresh_interval": "1s"})


@pytest.mark.parametrize("trial_id", ["KCT0099999", "kct0099999", "cris:KCT0099999"])
async def test_a_registry_id_is_read_in_real_time(
    client: Client, unrefreshed: None, trial_id: str
) -> None:
    response = await client.get(f"/api/v1/trials/{trial_id}")
    assert response.status == 200
    assert (await response.json())["id"] == "cris:KCT0099999"


@pytest.mark.parametrize("trial_id", ["DEMO0007", "demo0007"])
async def test_ids_in_no_registry_format_are_searched(client: Client, trial_id: str) -> None:
    response = await client.get(f"/api/v1/trials/{trial_id}")
    assert response.status == 200
    assert (await response.json())["id"] == "demo:DEMO0007"


async def test_concurrent_requests_each_get_their_own_trial(
    client: Client, loaded: dict[str, Any]
) -> None:
    """Reads made together are batched into one request to the node; no answer is mixed up."""
    asked: list[tuple[str | None, str]] = [
        (doc_id, doc_id if n % 2 else doc_id.split(":")[1]) for n, doc_id in enumerate(loaded)
    ]
    asked += [(None, "KCT9999999"), (None, "ctgov:NCT00000000")] * 3

    async def fetch(trial_id: str) -> tuple[int, str | None]:
        response = await client.get(f"/api/v1/trials/{trial_id}")
        body = await response.json()
        return response.status, body.get("id") if response.status == 200 else None

    results = await asyncio.gather(*(fetch(trial_id) for _, trial_id in asked))
    assert results == [(200, want) if want else (404, None) for want, _ in asked]
