"""Failures as problem+json: unknown routes and methods, and Elasticsearch going away and
coming back (through a real TCP relay to the real node, which the test cuts and restores)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from service.app import create_app
from tests.faults.evidence import fault
from trials.settings import Settings

Client = TestClient[Any, Any]
ES_ROUTES = (
    "/api/v1/trials?q=당뇨병",
    "/api/v1/trials/recent",
    "/api/v1/trials/C130010",
    "/api/v1/sync-runs",
    "/api/v1/sync-runs/x",
    "/api/v1/version",
)


async def test_unknown_route(client: Client) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status == 404
    assert response.content_type == "application/problem+json"
    assert (await response.json())["instance"] == "/api/v1/nothing-here"


async def test_wrong_method(client: Client) -> None:
    response = await client.delete("/api/v1/trials")
    assert response.status == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]


class Relay:
    """A TCP relay in front of the node; `cut()` drops it and every open connection."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 9200
        self.server: asyncio.Server | None = None
        self.listen_port = 0
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)
        self.listen_port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}


@pytest.fixture
async def relay(es_url: str) -> AsyncIterator[Relay]:
    relay = Relay(es_url)
    await relay.start()
    yield relay
    if relay.server is not None and relay.server.is_serving():
        await relay.cut()


@pytest.fixture
async def relayed_client(
    relay: Relay, svc_settings: Settings, loaded: object
) -> AsyncIterator[Client]:
    # No client injected: create_app makes its own and closes it (the production path).
    settings = dataclasses.replace(
        svc_settings, es_urls=(f"http://127.0.0.1:{relay.listen_port}",), es_timeout_s=5.0
    )
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


async def test_node_down_is_503_and_recovers(relayed_client: Client, relay: Relay) -> None:
    assert (await relayed_client.get("/api/v1/trials/C130010")).status == 200
    await relay.cut()
    down = [await relayed_client.get(route) for route in ES_ROUTES]
    health = (await relayed_client.get("/health")).status
    ready = await relayed_client.get("/ready")
    named = (await ready.json())["errors"][0]["name"]

    await relay.start()  # the node is back, on the same address
    restored = time.monotonic()
    deadline = restored + 20
    status = 0
    while time.monotonic() < deadline:
        status = (await relayed_client.get("/api/v1/trials/C130010")).status
        if status == 200:
            break
        await asyncio.sleep(0.5)
    ready_again = (await relayed_client.get("/ready")).status
    problems = [
        r.content_type == "application/problem+json" and int(r.headers.get("Retry-After", 0)) > 0
        for r in down
    ]
    fault(
        1,  # one cut of the relay
        f"while cut: {len(down)} endpoints answered {dict(Counter(r.status for r in down))}, "
        f"{sum(problems)} of them problems with Retry-After; /health {health}; "
        f"/ready {ready.status} naming {named!r}",
        then=f"restored: detail {status} after {time.monotonic() - restored:.1f} s; "
        f"/ready {ready_again}",
    )
    for route, response, problem in zip(ES_ROUTES, down, problems, strict=True):
        assert response.status == 503, route
        assert problem, route
    assert health == 200  # the process is alive
    assert (ready.status, named) == (503, "elasticsearch")
    assert status == 200
    assert ready_again == 200


async def test_indices_missing_is_503(es_url: str, svc_settings: Settings) -> None:
    settings = dataclasses.replace(svc_settings, index_prefix="svc-never-created-")
    async with TestClient(TestServer(create_app(settings))) as client:
        response = await client.get("/api/v1/trials")
        detail = (await response.json())["detail"]
        ready = await client.get("/ready")
        ready_detail = (await ready.json())["detail"]
    seen = f"/api/v1/trials {response.status}: {detail}; /ready {ready.status}: {ready_detail}"
    fault(1, seen)  # one service started on indices never created
    assert response.status == 503
    assert "trials es init" in detail
    assert ready.status == 503
    assert "missing" in ready_detail
