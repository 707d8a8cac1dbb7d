"""`trials serve` runs the same app on a real port, with the indexer's launcher wired in."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
from elasticsearch import AsyncElasticsearch

from trials.cli import build_parser
from trials.cli.serving import _launcher, serve
from trials.settings import Settings


def test_serve_arguments() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert args.handler is serve
    assert (args.host, args.port) == ("0.0.0.0", 8123)


async def test_the_indexer_launcher_is_wired(
    svc_settings: Settings, es: AsyncElasticsearch
) -> None:
    assert callable(_launcher(svc_settings, es))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_answers_on_its_port(svc_settings: Settings, loaded: object) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.update(
        TRIALS_ES_URL=",".join(svc_settings.es_hosts),
        TRIALS_INDEX_PREFIX=svc_settings.index_prefix,
        TRIALS_API_PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("trials")),
        "serve",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        assert f"http://127.0.0.1:{port}/api/docs" in banner
        async with aiohttp.ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/ready") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
            async with http.get(f"http://127.0.0.1:{port}/api/v1/trials/C130010") as response:
                assert response.status == 200
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 20) is not None
