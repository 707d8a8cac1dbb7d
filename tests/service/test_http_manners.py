"""HTTP manners: HEAD on every GET route, gzip/deflate by Accept-Encoding for bodies of 1 KiB
and more, CORS for the configured origins only, `Link: rel="next"` on cursor pages, and
X-Request-Id (the client's when sane, else ours) in the response and in problem bodies."""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch

from service.app import create_app
from service.compression import coding_for
from trials.settings import Settings

Client = TestClient[Any, Any]
ORIGIN = "https://app.example.org"
# A real value for each path parameter, so HEAD meets a 200
PATH_VALUES = {"{trial_id}": "KCT0011569", "{run_id}": "cris-run-1"}


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(name, value)
    return path


async def get_paths(client: Client) -> list[str]:
    spec = await (await client.get("/api/docs/openapi.json")).json()
    paths = [concrete(p) for p, ops in spec["paths"].items() if "get" in ops]
    return [*paths, "/api/docs", "/api/docs/openapi.json", "/api/docs/swagger.json"]


async def test_head_answers_every_get_route_with_its_headers_and_no_body(client: Client) -> None:
    paths = await get_paths(client)
    assert len(paths) >= 12
    for path in paths:
        url = f"{path}?q=당뇨병" if path == "/api/v1/suggest" else path
        got = await client.get(url)
        head = await client.head(url)
        assert head.status == got.status == 200, path
        assert head.headers["Content-Type"] == got.headers["Content-Type"], path
        assert await head.read() == b"", path


async def test_head_of_an_export_runs_no_export(client: Client) -> None:
    head = await client.head("/api/v1/trials/export?format=csv")
    assert head.status == 200
    assert head.headers["Content-Disposition"].startswith('attachment; filename="trials-')
    assert await head.read() == b""


async def raw_get(client: Client, path: str, accept: str) -> tuple[Any, bytes]:
    async with client.session.get(
        client.make_url(path), headers={"Accept-Encoding": accept}, auto_decompress=False
    ) as response:
        return response, await response.read()


async def test_large_bodies_are_gzipped_when_accepted(client: Client) -> None:
    plain = await (await client.get("/api/v1/trials?limit=20")).read()
    assert len(plain) > 1024
    response, body = await raw_get(client, "/api/v1/trials?limit=20", "gzip, deflate")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(body) < len(plain) / 3
    assert gzip.decompress(body) == plain


async def test_deflate_when_only_deflate_is_accepted(client: Client) -> None:
    response, body = await raw_get(client, "/api/v1/trials?limit=20", "deflate, gzip;q=0")
    assert response.headers["Content-Encoding"] == "deflate"
    assert zlib.decompress(body)[:9] == b'{"items":'


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0, deflate;q=0", "br", ""])
async def test_uncompressed_when_not_accepted(client: Client, accept: str) -> None:
    response, body = await raw_get(client, "/api/v1/trials?limit=20", accept)
    assert "Content-Encoding" not in response.headers
    assert body.startswith(b'{"items":')


async def test_small_bodies_are_not_compressed(client: Client) -> None:
    response, body = await raw_get(client, "/health", "gzip")
    assert "Content-Encoding" not in response.headers
    assert body == b'{"status":"ok"}'


async def test_swagger_ui_script_is_compressed(client: Client) -> None:
    response, _ = await raw_get(client, "/api/docs/static/swagger-ui-bundle.js", "gzip")
    assert response.headers["Content-Encoding"] == "gzip"


def test_accept_encoding_weights() -> None:
    assert coding_for("gzip, deflate, br").value == "gzip"  # type: ignore[union-attr]
    assert coding_for("deflate;q=1, gzip;q=0.5").value == "deflate"  # type: ignore[union-attr]
    assert coding_for("*").value == "gzip"  # type: ignore[union-attr]
    assert coding_for("*, gzip;q=0").value == "deflate"  # type: ignore[union-attr]
    assert coding_for("GZIP;Q=0.1").value == "gzip"  # type: ignore[union-attr]
    for refused in ("", "identity", "br, zstd", "gzip;q=0", "gzip;q=nope", "*;q=0"):
        assert coding_for(refused) is None, refused


@pytest.fixture(scope="module")
async def cors_client(
    es: AsyncElasticsearch, svc_settings: Settings, loaded: object
) -> AsyncIterator[Client]:
    settings = dataclasses.replace(svc_settings, cors_origins=(ORIGIN,))
    async with TestClient(TestServer(create_app(settings, es=es))) as test_client:
        yield test_client


async def test_cors_answers_a_configured_origin(cors_client: Client) -> None:
    response = await cors_client.get("/api/v1/trials?limit=1", headers={"Origin": ORIGIN})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert {"Link", "X-Request-Id", "ETag"} <= {h.strip() for h in exposed.split(",")}
    preflight = await cors_client.options(
        "/api/v1/sync-runs",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert preflight.status == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


async def test_cors_ignores_other_origins(cors_client: Client) -> None:
    response = await cors_client.get("/health", headers={"Origin": "https://evil.example"})
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = await cors_client.options(
        "/health",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_cors_is_off_without_origins(client: Client) -> None:
    response = await client.get("/health", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = await client.options(
        "/health", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status == 405
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_link_header_walks_the_cursor_pages(client: Client) -> None:
    url, seen, pages = "/api/v1/trials?sort=changed_at&limit=25&cursor=*", [], 0
    while url:
        response = await client.get(url)
        assert response.status == 200
        page = await response.json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        link = response.headers.get("Link")
        if page["next_cursor"] is None:
            assert link is None
            break
        assert link.endswith('>; rel="next"')
        url = link.removeprefix("<").removesuffix('>; rel="next"')
        assert url.startswith("/api/v1/trials?cursor=")
        assert "limit=25" in url
    total = (await (await client.get("/api/v1/trials?limit=1")).json())["total"]
    assert pages > 1
    assert len(seen) == len(set(seen)) == total


async def test_no_link_header_on_offset_pages(client: Client) -> None:
    response = await client.get("/api/v1/trials?limit=5")
    assert "Link" not in response.headers


async def test_a_sane_request_id_is_echoed_and_in_the_problem(client: Client) -> None:
    mine = "client-req.42:a/b+c=d@e"
    response = await client.get("/api/v1/trials/KCT9999999", headers={"X-Request-Id": mine})
    assert response.status == 404
    assert response.headers["X-Request-Id"] == mine
    assert (await response.json())["request_id"] == mine


@pytest.mark.parametrize("given", ["", "has space", 'quote"d', "x" * 129, "줄바꿈"])
async def test_an_insane_request_id_is_replaced(client: Client, given: str) -> None:
    response = await client.get("/api/v1/trials?limit=0", headers={"X-Request-Id": given})
    assert response.status == 400
    answered = response.headers["X-Request-Id"]
    assert answered != given
    assert len(answered) == 32
    assert (await response.json())["request_id"] == answered


async def test_every_response_has_a_request_id(client: Client) -> None:
    paths = (
        "/health",
        "/api/docs",
        "/api/docs/static/swagger-ui.css",
        "/nowhere",
        "/api/v1/trials/KCT0011569",
        "/api/v1/trials?q=암",
        "/api/v1/trials/export?format=csv",  # a stream its handler prepares itself
    )
    for path in paths:
        for method in ("GET", "HEAD"):
            response = await client.request(method, path)
            await response.read()
            assert len(response.headers["X-Request-Id"]) == 32, (method, path)
    tag = (await client.get("/api/v1/trials/KCT0011569")).headers["ETag"]
    unchanged = await client.get("/api/v1/trials/KCT0011569", headers={"If-None-Match": tag})
    assert unchanged.status == 304
    assert len(unchanged.headers["X-Request-Id"]) == 32
    mine = "export-1"
    exported = await client.get("/api/v1/trials/export", headers={"X-Request-Id": mine})
    assert (exported.status, exported.headers["X-Request-Id"]) == (200, mine)
