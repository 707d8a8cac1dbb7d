"""One access-log line per request: method, path with its query, status, latency, size (as
sent: compressed when it was), remote address and request id; concise in text, separate fields
in JSON; headers (the admin token) never."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service.accesslog import LOGGER_NAME, AccessLogger
from service.app import create_app
from testkit.elastic_node import free_port
from testkit.served import serve_env, start_serve, wait_answering
from trials.logs import configure_logging
from trials.settings import Settings

WRONG_TOKEN = "not-the-admin-token-s3cr3t"
FIELDS = {"method", "path", "status", "duration_ms", "size", "remote", "request_id"}


@pytest.fixture
async def text_served(
    svc_settings: Settings, es: AsyncElasticsearch, loaded: object
) -> AsyncIterator[tuple[str, io.StringIO]]:
    """The app behind the runner `trials serve` uses, logging text into a buffer."""
    root, level = logging.getLogger(), logging.getLogger().level
    stream = io.StringIO()
    handler = configure_logging("info", "text", stream=stream)
    runner = web.AppRunner(
        create_app(svc_settings, es=es),
        access_log_class=AccessLogger,
        access_log=logging.getLogger(LOGGER_NAME),
    )
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", stream
    finally:
        await runner.cleanup()
        root.removeHandler(handler)
        root.setLevel(level)


async def test_text_is_one_concise_line_per_request(text_served: tuple[str, io.StringIO]) -> None:
    base, stream = text_served
    async with aiohttp.ClientSession(auto_decompress=False) as http:  # sizes as sent
        async with http.get(f"{base}/api/v1/trials", params={"q": "당뇨병", "limit": "2"}) as r:
            size = len(await r.read())
            assert r.headers["Content-Encoding"] == "gzip"
            answered = r.headers["X-Request-Id"]
        mine = {"X-Request-Id": "support-ticket-42"}
        async with http.get(f"{base}/api/v1/trials/KCT9999999", headers=mine) as r:
            assert r.status == 404
    lines = [line for line in stream.getvalue().splitlines() if f" {LOGGER_NAME}: " in line]
    assert len(lines) == 2, lines
    found, missing = (line.split(f"{LOGGER_NAME}: ", 1)[1] for line in lines)
    method, path, status, latency, sent, remote, rid = found.split(" ")
    assert (method, status, remote, rid) == ("GET", "200", "127.0.0.1", answered)
    assert size < int(sent.removesuffix("B")) < size + 1000  # the body and its headers
    assert path == "/api/v1/trials?q=%EB%8B%B9%EB%87%A8%EB%B3%91&limit=2"
    assert latency.endswith("ms")
    assert float(latency[:-2]) > 0
    assert missing.startswith("GET /api/v1/trials/KCT9999999 404 ")
    assert missing.endswith(" 127.0.0.1 support-ticket-42")  # nothing after the request id


async def test_trials_serve_logs_json_fields_and_never_headers(
    svc_settings: Settings, loaded: object
) -> None:
    port = free_port()
    env = serve_env(
        svc_settings, port, TRIALS_ADMIN_TOKEN="the-admin-token", TRIALS_LOG_FORMAT="json"
    )
    process = await start_serve(
        env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(auto_decompress=False) as http:
            await wait_answering(http, f"{base}/health")
            async with http.get(f"{base}/api/v1/trials/C130010?x=1") as response:
                assert response.status == 200
                size = len(await response.read())
            bearer = {"Authorization": f"Bearer {WRONG_TOKEN}"}
            async with http.post(f"{base}/api/v1/sync-runs", json={}, headers=bearer) as response:
                assert response.status == 403
    finally:
        process.terminate()
        _, err = await asyncio.wait_for(process.communicate(), 20)
    text = err.decode()
    assert WRONG_TOKEN not in text
    entries: list[dict[str, Any]] = [json.loads(line) for line in text.splitlines()]
    access = [e for e in entries if e["logger"] == LOGGER_NAME and e["path"] != "/health"]
    assert [(e["method"], e["path"], e["status"]) for e in access] == [
        ("GET", "/api/v1/trials/C130010?x=1", 200),
        ("POST", "/api/v1/sync-runs", 403),
    ]
    first = access[0]
    assert set(first) >= FIELDS
    assert (first["remote"], first["level"]) == ("127.0.0.1", "info")
    assert size < first["size"] < size + 1000
    assert isinstance(first["duration_ms"], float)
    assert first["duration_ms"] > 0
    assert first["message"].startswith("GET /api/v1/trials/C130010?x=1 200 ")
    assert len(first["request_id"]) == 32  # one we made: the client sent none
    headers = [k for k in first if k.startswith("request_") and k != "request_id"]
    assert not headers
    assert "remote_address" not in first
