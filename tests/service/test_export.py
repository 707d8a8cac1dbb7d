"""GET /api/v1/trials/export: every match of a search, in its order, as NDJSON or CSV (the
documented columns, lists joined by `; `), `fields=` to choose, an attachment, compressed when
accepted; and, over 12,000 generated trials served by `trials serve`, as many rows as the
search matches while the process's peak memory stays flat."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import gzip
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from bench.service.corpus import documents
from service.export import csv_columns
from service.params import search_params
from service.schemas.trials import EXPORT_FIELDS
from service.search import search_body
from testkit.elastic_node import free_port
from testkit.peak_memory import peak_rss_kb
from testkit.served import serve_env, start_serve, wait_answering
from trials.indices import Names, ensure_indices
from trials.settings import Settings

Client = TestClient[Any, Any]
LARGE = 12_000
PEAK_GROWTH_LIMIT = 30 * 1024 * 1024


async def ndjson(client: Client, query: str) -> tuple[Any, list[dict[str, Any]]]:
    response = await client.get(f"/api/v1/trials/export?{query}")
    assert response.status == 200, await response.text()
    lines = (await response.text()).splitlines()
    return response, [json.loads(line) for line in lines]


async def search_ids(client: Client, query: str) -> list[str]:
    """Every id the search finds, in its order, walking its cursor pages."""
    ids, url = [], f"/api/v1/trials?{query}&limit=100&cursor=*&facets=false&fields=id"
    while url:
        page = await (await client.get(url)).json()
        ids += [item["id"] for item in page["items"]]
        url = page["next_cursor"] and f"/api/v1/trials?limit=100&cursor={page['next_cursor']}"
    return ids


@pytest.mark.parametrize("query", ["", "q=당뇨병", "source=cris&sort=registered_at", "age=45"])
async def test_ndjson_has_every_match_in_the_search_order(client: Client, query: str) -> None:
    response, rows = await ndjson(client, query)
    assert response.content_type == "application/x-ndjson"
    assert [row["id"] for row in rows] == await search_ids(client, query)
    assert int(response.headers["X-Total-Count"]) == len(rows)
    assert rows
    assert all(list(row) == [f for f in EXPORT_FIELDS if f in row] for row in rows)
    assert all("registry_id" in row for row in rows)


async def test_removed_trials_only_when_asked(client: Client) -> None:
    _, present = await ndjson(client, "")
    _, everything = await ndjson(client, "include_removed=true")
    assert len(everything) > len(present)
    assert all(row.get("removed_at") is None for row in present)


async def test_csv_has_the_documented_columns(client: Client) -> None:
    response = await client.get("/api/v1/trials/export?format=csv&q=당뇨병")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="trials-')
    assert disposition.endswith('.csv"')
    text = await response.text()
    assert "\r\n" in text
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == csv_columns(EXPORT_FIELDS)
    assert "eligibility.min_age_years" in table[0]
    _, rows = await ndjson(client, "q=당뇨병")
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    for line, row in zip(table, rows, strict=True):
        assert line["conditions"] == "; ".join(row.get("conditions") or [])
        assert line["eligibility.sex"] == (row["eligibility"].get("sex") or "")
        assert line["title"] == (row.get("title") or "")
        assert line["synthetic"] in ("true", "false", "")


async def test_fields_choose_the_columns(client: Client) -> None:
    response = await client.get("/api/v1/trials/export?format=csv&fields=registry_id,regions")
    header, *lines = (await response.text()).splitlines()
    assert header == "registry_id,regions"
    assert lines
    _, rows = await ndjson(client, "fields=registry_id,regions")
    assert all(list(row) == ["registry_id", "regions"] for row in rows)
    assert len(rows) == len(lines)


async def test_the_stream_is_gzipped_when_accepted(client: Client) -> None:
    _, rows = await ndjson(client, "")
    async with client.session.get(
        client.make_url("/api/v1/trials/export"),
        headers={"Accept-Encoding": "gzip"},
        auto_decompress=False,
    ) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(await response.read())
    assert len(body.splitlines()) == len(rows)


@pytest.mark.parametrize(
    ("query", "name"),
    [("format=xml", "format"), ("limit=5", "limit"), ("cursor=*", "cursor"), ("age=-1", "age")],
)
async def test_bad_parameters_are_problems(client: Client, query: str, name: str) -> None:
    response = await client.get(f"/api/v1/trials/export?{query}")
    assert response.status == 400
    assert [e["name"] for e in (await response.json())["errors"]] == [name]


async def test_an_empty_result_is_a_header_only(client: Client) -> None:
    response = await client.get("/api/v1/trials/export?format=csv&q=zzzqqqxxx")
    assert response.status == 200
    assert response.headers["X-Total-Count"] == "0"
    assert (await response.text()).splitlines() == [",".join(csv_columns(EXPORT_FIELDS))]


# --- 12,000 trials, through `trials serve` ----------------------------------------------------


@pytest.fixture(scope="module")
async def large(es: AsyncElasticsearch, settings: Settings) -> Settings:
    """LARGE generated trials under their own prefix (the session's cleanup deletes them)."""
    mine = dataclasses.replace(settings, index_prefix=f"{settings.index_prefix}export-")
    await ensure_indices(es, mine)
    alias = Names.from_settings(mine).trials
    actions = ({"_index": alias, "_id": d["id"], "_source": d} for d in documents(LARGE))
    # bodies under 1 MiB: aiohttp warns (an error in tests) about larger raw bodies
    await async_bulk(es.options(request_timeout=120), actions, max_chunk_bytes=512 * 1024)
    await es.indices.refresh(index=alias)
    return mine


@pytest.fixture(scope="module")
async def served(large: Settings) -> AsyncIterator[tuple[str, int]]:
    port = free_port()
    process = await start_serve(
        serve_env(large, port), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_answering(http, f"{base}/ready", 30, process)
        yield base, process.pid
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def count_lines(http: aiohttp.ClientSession, url: str) -> tuple[int, int]:
    """Rows streamed (read a chunk at a time, never held) and the X-Total-Count announced."""
    lines = 0
    async with http.get(url) as response:
        assert response.status == 200
        async for chunk in response.content.iter_any():
            lines += chunk.count(b"\n")
        return lines, int(response.headers["X-Total-Count"])


async def test_every_one_of_12000_matches_is_exported_in_flat_memory(
    served: tuple[str, int], es: AsyncElasticsearch, large: Settings
) -> None:
    base, pid = served
    alias = Names.from_settings(large).trials
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:
        await count_lines(http, f"{base}/api/v1/trials/export?q=zzzqqqxxx")  # warm the paths
        async with http.get(f"{base}/api/v1/trials?limit=1&facets=false") as response:
            searched = await response.json()
        async with http.get(f"{base}/api/v1/trials?limit=1") as response:
            counted_with_facets = await response.json()
        before = peak_rss_kb(pid) * 1024
        rows, announced = await count_lines(http, f"{base}/api/v1/trials/export")
        grown = peak_rss_kb(pid) * 1024 - before
        csv_rows, _ = await count_lines(http, f"{base}/api/v1/trials/export?format=csv")
        filtered, _ = await count_lines(http, f"{base}/api/v1/trials/export?q=당뇨병")
        async with http.get(f"{base}/api/v1/trials", params={"q": "당뇨병"}) as response:
            filtered_search = await response.json()
    counted = (await es.count(index=alias))["count"]
    assert counted == LARGE
    assert rows == announced == counted
    assert (searched["total"], searched["total_relation"]) == (10_000, "gte")  # all of them
    assert (counted_with_facets["total"], counted_with_facets["total_relation"]) == (LARGE, "eq")
    assert csv_rows == counted + 1  # and the header
    body = search_body(search_params({"q": "당뇨병"}))
    assert filtered_search["total_relation"] == "eq"
    expected = (await es.count(index=alias, query=body["query"]))["count"]
    assert filtered == filtered_search["total"] == expected
    assert 0 < filtered < counted
    assert grown < PEAK_GROWTH_LIMIT, f"peak RSS grew {grown / 2**20:.1f} MiB"
