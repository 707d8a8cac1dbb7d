"""The sync-run endpoints: paging through and reading the sync log, and the admin-only POST."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

import mappings
from service.app import create_app
from tests.service import corpus
from tests.service.conftest import ADMIN_TOKEN
from trials.indices import Names
from trials.settings import Settings

Client = TestClient[Any, Any]
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_list_newest_first(client: Client) -> None:
    body = await (await client.get("/api/v1/sync-runs?source=cris&source=ctgov")).json()
    runs = [
        r["run_id"]
        for r in body["items"]
        if r["run_id"] in ("cris-run-1", "cris-run-2", "ctgov-run-1")
    ]
    assert runs == ["ctgov-run-1", "cris-run-2", "cris-run-1"]
    assert body["items"][0]["counts"]["fetched"] == 379


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=failed", {"cris-run-2"}),
        ("source=cris&status=completed", {"cris-run-1"}),
        ("run_id=ctgov-run-1&run_id=cris-run-1", {"ctgov-run-1", "cris-run-1"}),
        ("source=icreat", set()),
    ],
)
async def test_filters(client: Client, query: str, expected: set[str]) -> None:
    body = await (await client.get(f"/api/v1/sync-runs?{query}")).json()
    assert {r["run_id"] for r in body["items"]} == expected


async def test_paging(client: Client) -> None:
    body = await (
        await client.get("/api/v1/sync-runs?run_id=cris-run-1&run_id=cris-run-2&limit=1&offset=1")
    ).json()
    assert [r["run_id"] for r in body["items"]] == ["cris-run-1"]
    assert body["total"] == 2
    for too_deep in ("offset=9999&limit=2", "offset=9901&limit=100"):
        response = await client.get(f"/api/v1/sync-runs?{too_deep}")
        assert response.status == 400
        assert response.content_type == "application/problem+json"
        assert (await response.json())["errors"][0]["name"] == "offset"
    deepest = await client.get("/api/v1/sync-runs?offset=9900&limit=100")
    assert deepest.status == 200
    assert (await deepest.json())["items"] == []


WALK = "/api/v1/sync-runs?source=demo&limit=5"
WALK_RUNS = 23
STARTED = datetime(2020, 1, 1, tzinfo=UTC)
LATE = "demo-walk-late"


@pytest.fixture
async def demo_runs(
    es: AsyncElasticsearch, names: Names, loaded: object
) -> AsyncIterator[list[str]]:
    """23 demo runs, three at a time started at the same instant (so run_id decides their
    order), run ids out of step with time; yields their expected order, removes them after."""
    docs = [
        corpus.sync_run_doc(
            f"demo-walk-{(n * 7) % WALK_RUNS:02d}",
            "demo",
            "completed",
            STARTED + timedelta(hours=n // 3),
        )
        for n in range(WALK_RUNS)
    ]
    actions = [{"_index": names.sync_log, "_id": d["run_id"], "_source": d} for d in docs]
    await async_bulk(es, actions, refresh="wait_for")
    newest_first = sorted(
        docs, key=lambda d: (-datetime.fromisoformat(d["started_at"]).timestamp(), d["run_id"])
    )
    try:
        yield [d["run_id"] for d in newest_first]
    finally:
        # The node has no delete-by-query (no reindex module): delete them one by one, with
        # the run a test adds mid-walk.
        ids = [d["run_id"] for d in docs] + [LATE]
        await async_bulk(
            es,
            [{"_op_type": "delete", "_index": names.sync_log, "_id": i} for i in ids],
            raise_on_error=False,
            refresh="wait_for",
        )


async def runs_page(client: Client, url: str) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def test_cursor_walk_yields_every_run_once_in_order(
    client: Client, es: AsyncElasticsearch, names: Names, demo_runs: list[str]
) -> None:
    body = await runs_page(client, f"{WALK}&cursor=*")
    seen, offsets = [r["run_id"] for r in body["items"]], [body["offset"]]
    # A run started meanwhile is newest of all: offset paging would serve one run twice.
    late = corpus.sync_run_doc(LATE, "demo", "running", datetime.now(UTC))
    await es.index(index=names.sync_log, id=late["run_id"], document=late, refresh="wait_for")
    while body["next_cursor"]:
        body = await runs_page(client, f"/api/v1/sync-runs?cursor={body['next_cursor']}&limit=5")
        seen += [r["run_id"] for r in body["items"]]
        offsets.append(body["offset"])
        assert body["total"] == WALK_RUNS
    assert seen == demo_runs
    assert offsets == [0, 5, 10, 15, 20]
    assert body["next_cursor"] is None


async def test_offset_pages_match_the_walk(client: Client, demo_runs: list[str]) -> None:
    seen = []
    for offset in range(0, WALK_RUNS, 5):
        body = await runs_page(client, f"{WALK}&offset={offset}")
        assert body["next_cursor"] is None
        seen += [r["run_id"] for r in body["items"]]
    assert seen == demo_runs


async def test_a_cursor_reused_with_other_filters_is_refused(
    client: Client, demo_runs: list[str]
) -> None:
    token = (await runs_page(client, f"{WALK}&cursor=*"))["next_cursor"]
    same = await runs_page(client, f"{WALK}&cursor={token}")
    assert [r["run_id"] for r in same["items"]] == demo_runs[5:10]
    for other in ("source=cris", "source=demo&status=failed", "run_id=demo-walk-00"):
        response = await client.get(f"/api/v1/sync-runs?{other}&cursor={token}")
        assert response.status == 400
        assert response.content_type == "application/problem+json"
        assert (await response.json())["errors"][0]["name"] == "cursor"
    with_offset = await client.get(f"{WALK}&offset=5&cursor={token}")
    assert with_offset.status == 400
    assert (await with_offset.json())["errors"][0]["name"] == "offset"


async def test_cursors_do_not_cross_lists(client: Client, demo_runs: list[str]) -> None:
    runs_token = (await runs_page(client, f"{WALK}&cursor=*"))["next_cursor"]
    trials_token = (await runs_page(client, "/api/v1/trials?limit=5&cursor=*"))["next_cursor"]
    for url in (f"/api/v1/trials?cursor={runs_token}", f"/api/v1/sync-runs?cursor={trials_token}"):
        response = await client.get(url)
        assert response.status == 400
        assert "another endpoint" in (await response.json())["detail"]


async def test_one_run_and_404(client: Client) -> None:
    body = await (await client.get("/api/v1/sync-runs/cris-run-2")).json()
    assert body["status"] == "failed"
    missing = await client.get("/api/v1/sync-runs/nope")
    assert missing.status == 404
    assert missing.content_type == "application/problem+json"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer "}, 401),
        ({"Authorization": "Bearer wrong-token"}, 403),
        ({"Authorization": f"Bearer {ADMIN_TOKEN}x"}, 403),
    ],
)
async def test_admin_auth(client: Client, headers: dict[str, str], status: int) -> None:
    response = await client.post("/api/v1/sync-runs", json={"sources": ["demo"]}, headers=headers)
    assert response.status == status
    assert response.content_type == "application/problem+json"
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_start_run_then_conflict(client: Client) -> None:
    response = await client.post(
        "/api/v1/sync-runs", json={"sources": ["icreat"], "full": True}, headers=AUTH
    )
    assert response.status == 202
    body = await response.json()
    (run,) = body["runs"]
    assert response.headers["Location"] == run["href"] == f"/api/v1/sync-runs/{run['run_id']}"
    followed = await (await client.get(response.headers["Location"])).json()
    assert followed["status"] == "running"
    assert followed["trigger"] == "api"
    assert followed["full"] is True
    again = await client.post("/api/v1/sync-runs", json={"sources": ["icreat"]}, headers=AUTH)
    assert again.status == 409
    assert "already running" in (await again.json())["detail"]


async def test_start_several(client: Client) -> None:
    response = await client.post(
        "/api/v1/sync-runs", json={"sources": ["cris", "ctgov"]}, headers=AUTH
    )
    assert response.status == 202
    runs = (await response.json())["runs"]
    assert [r["source"] for r in runs] == ["cris", "ctgov"]
    listed = await (await client.get(response.headers["Location"])).json()
    assert {r["run_id"] for r in listed["items"]} == {r["run_id"] for r in runs}


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"sources": ["pubmed"]}, "sources"),
        ({"sources": []}, "sources"),
        ({}, "sources"),
        ({"sources": ["cris"], "full": "yes please"}, "full"),
        ({"sources": ["cris"], "full": 0}, "full"),
        ({"sources": ["cris"], "full": "true"}, "full"),
        (["cris"], "body"),
        ({"sources": ["cris"], "extra": 1}, "extra"),
    ],
)
async def test_bad_bodies(client: Client, body: Any, name: str) -> None:
    response = await client.post("/api/v1/sync-runs", json=body, headers=AUTH)
    assert response.status == 400
    problem = await response.json()
    assert problem["errors"][0]["name"] == name
    assert problem["errors"][0]["in"] == "body"


async def test_not_json(client: Client) -> None:
    response = await client.post("/api/v1/sync-runs", data=b"{sources", headers=AUTH)
    assert response.status == 400


@pytest.fixture
async def bare_client(
    es: AsyncElasticsearch, svc_settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[Client]:
    token, launcher = request.param
    settings = dataclasses.replace(svc_settings, admin_token=token)
    async with TestClient(TestServer(create_app(settings, es=es, launcher=launcher))) as client:
        yield client


async def broken_launcher(sources: Sequence[str], full: bool) -> list[str]:
    raise RuntimeError("secret internal detail")


@pytest.mark.parametrize("bare_client", [("", None)], indirect=True)
async def test_admin_disabled_without_a_token(bare_client: Client) -> None:
    response = await bare_client.post(
        "/api/v1/sync-runs", json={"sources": ["demo"]}, headers={"Authorization": "Bearer "}
    )
    assert response.status == 403
    assert "disabled" in (await response.json())["detail"]


@pytest.mark.parametrize("bare_client", [(ADMIN_TOKEN, None)], indirect=True)
async def test_no_launcher_in_this_process(bare_client: Client) -> None:
    response = await bare_client.post("/api/v1/sync-runs", json={"sources": ["demo"]}, headers=AUTH)
    assert response.status == 403
    assert "launcher" in (await response.json())["detail"]


@pytest.mark.parametrize("bare_client", [(ADMIN_TOKEN, broken_launcher)], indirect=True)
async def test_unexpected_errors_are_500_problems_without_details(bare_client: Client) -> None:
    response = await bare_client.post("/api/v1/sync-runs", json={"sources": ["demo"]}, headers=AUTH)
    assert response.status == 500
    text = await response.text()
    assert "secret internal detail" not in text
    assert "Traceback" not in text
    assert response.content_type == "application/problem+json"


async def test_version_shows_freshness(client: Client, names: Names) -> None:
    body = await (await client.get("/api/v1/version")).json()
    version = mappings.load("trials").version
    assert body["mappings"]["trials"] == {"expected": version, "found": version}
    assert body["last_sync"]["ctgov"]["run_id"] == "ctgov-run-1"
    assert body["last_sync"]["cris"]["run_id"] == "cris-run-1"  # run 2 failed
    assert body["last_sync"]["icreat"] is None  # its only runs here are still running


async def test_oversized_body_is_a_413_problem(client: Client) -> None:
    body = b'{"sources": ["cris"], "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = await client.post(
        "/api/v1/sync-runs",
        data=io.BytesIO(body),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status == 413
    assert response.content_type == "application/problem+json"
