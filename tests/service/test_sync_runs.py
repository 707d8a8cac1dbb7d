"""The sync-run endpoints: listing and reading the sync log, and the admin-only POST."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from service.app import create_app
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
    response = await client.get("/api/v1/sync-runs?offset=9999&limit=2")
    assert response.status == 400
    assert (await response.json())["errors"][0]["name"] == "offset"


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
    assert body["mappings"]["trials"] == {"expected": 1, "found": 1}
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
