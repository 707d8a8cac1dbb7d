"""`trials serve` runs the same app on a real port, with the indexer's launcher wired in."""

from __future__ import annotations

import asyncio

import aiohttp
from elasticsearch import AsyncElasticsearch

from cli import build_parser
from cli.serving import _launcher, serve
from testkit.elastic_node import free_port
from testkit.served import serve_env, start_serve, wait_answering
from trials.settings import Settings


def test_serve_arguments() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert args.handler is serve
    assert (args.host, args.port) == ("0.0.0.0", 8123)


async def test_the_indexer_launcher_is_wired(
    svc_settings: Settings, es: AsyncElasticsearch
) -> None:
    assert callable(_launcher(svc_settings, es))


async def test_serve_answers_on_its_port(svc_settings: Settings, loaded: object) -> None:
    port = free_port()
    process = await start_serve(
        serve_env(svc_settings, port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        assert f"http://127.0.0.1:{port}/api/docs" in banner
        async with aiohttp.ClientSession() as http:
            await wait_answering(http, f"http://127.0.0.1:{port}/ready")
            async with http.get(f"http://127.0.0.1:{port}/api/v1/trials/C130010") as response:
                assert response.status == 200
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 20) is not None
