"""GET /api/v1/feeds/trials read as a feed reader reads it (feedparser), over history the
indexer really wrote (tests/service/changed_world)."""

from __future__ import annotations

from typing import Any

import feedparser  # type: ignore[import-untyped]
from aiohttp.test_utils import TestClient

from service import feeds
from tests.service.changed_world import NEW_TITLE, Changed, changed, history_client

__all__ = ["changed", "history_client"]  # fixtures
Client = TestClient[Any, Any]
FEED = "/api/v1/feeds/trials"


async def _feed(client: Client, query: str = "") -> tuple[Any, Any]:
    response = await client.get(f"{FEED}?{query}")
    assert response.status == 200, await response.text()
    assert response.content_type == "application/atom+xml"
    parsed = feedparser.parse(await response.read())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response


async def test_lists_the_changed_trials_newest_first_with_what_changed(
    history_client: Client, changed: Changed
) -> None:
    parsed, _ = await _feed(history_client, "limit=5")
    entries = parsed.entries
    assert len(entries) == 5
    times = [e.updated for e in entries]
    assert times == sorted(times, reverse=True)
    updated = [e for e in entries if e.tags[0].term == "updated"]
    assert {e.link.rsplit("/", 1)[1] for e in updated} == {
        changed.status_id,
        changed.size_id,
        changed.title_id,
    }  # the second run's three changes are the newest
    size = next(e for e in updated if e.link.endswith(changed.size_id))
    assert f"목표 대상자 수 Target size: {changed.old_size} → {changed.old_size + 250}" in (
        size.summary
    )
    assert size.title.startswith(f"[{changed.size_id.split(':')[1]}] ")
    assert size.id == f"urn:trials:change:{changed.size_id}@" + size.id.rsplit("@", 1)[1]
    status = next(e for e in updated if e.link.endswith(changed.status_id))
    assert "모집 상태 Status:" in status.summary
    assert "→ completed" in status.summary
    assert "Status as registered" not in status.summary  # the raw twin is not repeated


async def test_takes_the_search_query_and_filters(history_client: Client, changed: Changed) -> None:
    query = "q=renamed bifurcation stenting&limit=100"
    parsed, _ = await _feed(history_client, query)
    search = await history_client.get(f"/api/v1/trials?{query}&facets=false")
    found = (await search.json())["items"]
    assert 0 < len(found) < 100
    # exactly the trials the search finds, by their latest change, newest first
    assert {e.link.rsplit("/", 1)[1] for e in parsed.entries} == {i["id"] for i in found}
    titled = next(e for e in parsed.entries if e.link.endswith(changed.title_id))
    assert titled.title.endswith(NEW_TITLE)
    assert "변경 Updated: 제목 Title:" in titled.summary
    done, _ = await _feed(history_client, "status=completed&limit=200")
    assert changed.status_id in {e.link.rsplit("/", 1)[1] for e in done.entries}
    assert all("Status: " not in e.summary or "completed" in e.summary for e in done.entries)
    nothing, _ = await _feed(history_client, "source=cris")
    assert nothing.entries == []


async def test_etag_and_conditional_get(history_client: Client) -> None:
    _, first = await _feed(history_client, "limit=3")
    tag = first.headers["ETag"]
    again = await history_client.get(f"{FEED}?limit=3", headers={"If-None-Match": tag})
    assert again.status == 304
    other = await history_client.get(f"{FEED}?limit=4", headers={"If-None-Match": tag})
    assert other.status == 200


async def test_hostile_parameters_get_problem_json(history_client: Client) -> None:
    for query in (
        "limit=0",
        "limit=100000",
        "status=bogus",
        "age=-4",
        "q=" + "x" * 5000,
        "near=91,500",
        "cursor=*",
        "sort=distance",
    ):
        response = await history_client.get(f"{FEED}?{query}")
        assert response.status == 400, (query, response.status)
        assert response.content_type == "application/problem+json", query


def test_summary_names_fields_in_both_languages() -> None:
    fields: list[dict[str, Any]] = [
        {"field": "status", "old": "recruiting", "new": "completed"},
        {"field": "status_raw", "old": "RECRUITING", "new": "COMPLETED"},
        {"field": "conditions", "added": ["위암"], "removed": ["폐암"]},
    ]
    assert feeds.summary("updated", fields) == (
        "변경 Updated: 모집 상태 Status: recruiting → completed; 대상 질환 Conditions: +위암, −폐암"
    )
    assert feeds.summary("created", []) == "새 임상시험 New trial"
