"""One access-log line per request: method, path with its query, status, latency, size and
remote address; concise in text, separate fields in JSON; headers (the admin token) never."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from elasticsearch import AsyncElasticsearch

from service.accesslog import LOGGER_NAME, AccessLogger
from service.app import create_app
from trials.logs import configure_logging
from trials.settings import Settings

WRONG_TOKEN = "not-the-admin-token-s3cr3t"
FIELDS = {"method", "path", "status", "duration_ms", "size", "remote"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", stream
    finally:
        await runner.cleanup()
        root.removeHandler(handler)
        root.setLevel(level)


async def test_text_is_one_concise_line_per_request(text_served: tuple[str, io.StringIO]) -> None:
    base, stream = text_served
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/api/v1/trials", params={"q": "당뇨병", "limit": "2"}) as r:
            size = len(await r.read())
        async with http.get(f"{base}/api/v1/trials/KCT9999999") as r:
            assert r.status == 404
    lines = [line for line in stream.getvalue().splitlines() if f" {LOGGER_NAME}: " in line]
    assert len(lines) == 2, lines
    found, missing = (line.split(f"{LOGGER_NAME}: ", 1)[1] for line in lines)
    method, path, status, latency, sent, remote = found.split(" ")
    assert (method, status, remote) == ("GET", "200", "127.0.0.1")
    assert size < int(sent.removesuffix("B")) < size + 1000  # the body and its headers
    assert path == "/api/v1/trials?q=%EB%8B%B9%EB%87%A8%EB%B3%91&limit=2"
    assert latency.endswith("ms")
    assert float(latency[:-2]) > 0
    assert missing.startswith("GET /api/v1/trials/KCT9999999 404 ")
    assert len(missing.split(" ")) == 6  # nothing after the remote address


async def test_trials_serve_logs_json_fields_and_never_headers(
    svc_settings: Settings, loaded: object
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.update(
        TRIALS_ES_URL=",".join(svc_settings.es_hosts),
        TRIALS_INDEX_PREFIX=svc_settings.index_prefix,
        TRIALS_API_PORT=str(port),
        TRIALS_ADMIN_TOKEN="the-admin-token",
        TRIALS_LOG_FORMAT="json",
    )
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("trials")),
        "serve",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"{base}/health") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
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
    assert not any(k.startswith("request_") or k == "remote_address" for k in first)
