"""The admin POST end to end: `trials serve` as a real process with its real launcher (the
indexer, not a test double) runs a demo sync that completes, is written to the sync log, and
makes its trials searchable through the same API."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions
from testkit.elastic_node import free_port
from testkit.served import serve_env, start_serve, wait_answering
from trials.indices import Names
from trials.runs import FINAL_STATUSES
from trials.settings import Settings

TOKEN = "served-admin-token"
RUNS = "/api/v1/sync-runs"
RUN_SECONDS = 120.0


@pytest.fixture
def admin_settings(settings: Settings) -> Settings:
    """A prefix of its own (still under the session's, so it is deleted at the end): the demo
    trials must not reach the service tests' corpus, whose totals are exact."""
    return dataclasses.replace(settings, index_prefix=f"{settings.index_prefix}admin-")


@pytest.fixture
async def served(admin_settings: Settings, tmp_path: Path) -> AsyncIterator[str]:
    """`trials serve` with an admin token and no registry keys; its base URL."""
    port = free_port()
    env = serve_env(admin_settings, port, TRIALS_ADMIN_TOKEN=TOKEN)
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = await start_serve(env, stdout=sink.fileno(), stderr=sink.fileno())
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_answering(http, f"{base}/health", 20, process)
        yield base
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 20) is not None
        print(log.read_text(errors="replace")[-4000:])  # shown by pytest when the test failed


async def get(http: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with http.get(url) as response:
        assert response.status == 200, await response.text()
        return dict(await response.json())


async def until_finished(http: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    for _ in range(int(RUN_SECONDS / 0.25)):
        run = await get(http, url)
        if run["status"] in FINAL_STATUSES:
            return run
        await asyncio.sleep(0.25)
    raise AssertionError(f"{url} did not finish within {RUN_SECONDS:.0f} s")


async def test_admin_post_runs_a_demo_sync_through_trials_serve(
    served: str, es: AsyncElasticsearch, admin_settings: Settings
) -> None:
    expected = RunOptions().demo_count  # what the served launcher's runs generate
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{served}{RUNS}", json={"sources": ["demo"]}, headers=bearer) as r:
            assert r.status == 202, await r.text()
            location = r.headers["Location"]
            (started,) = (await r.json())["runs"]
        assert started["source"] == "demo"
        assert location == started["href"] == f"{RUNS}/{started['run_id']}"
        run = await until_finished(http, served + location)
        assert run["status"] == "completed", run
        assert (run["trigger"], run["full"]) == ("api", False)

        stored = await es.get(index=Names.from_settings(admin_settings).sync_log, id=run["run_id"])
        counts = stored.body["_source"]["counts"]
        assert counts["fetched"] == counts["created"] == expected > 0
        assert counts["updated"] == counts["failed"] == counts["rejected"] == 0
        assert run["counts"] == counts  # the API shows the sync-log document as stored

        listed = await get(http, f"{served}{RUNS}?source=demo")
        assert [r["run_id"] for r in listed["items"]] == [run["run_id"]]
        found = await get(http, f"{served}/api/v1/trials?source=demo&limit=5")
        assert (found["total"], found["total_relation"]) == (expected, "eq")
        assert all(item["source"] == "demo" and item["synthetic"] for item in found["items"])
        one = await get(http, f"{served}/api/v1/trials/{found['items'][0]['id']}")
        assert one["last_change"] == "created"
