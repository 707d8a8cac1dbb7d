"""GET /api/v1/trials/{trial_id}/history and the `changed_fields` / `field=` of
/api/v1/trials/recent, over history the indexer really wrote (tests/service/changed_world)."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.service.changed_world import NEW_TITLE, Changed, changed, history_client

__all__ = ["changed", "history_client"]  # fixtures
Client = TestClient[Any, Any]


async def _json(client: Client, url: str, status: int = 200) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == status, await response.text()
    return dict(await response.json())


async def test_history_is_newest_first_with_old_and_new_values(
    history_client: Client, changed: Changed
) -> None:
    body = await _json(history_client, f"/api/v1/trials/{changed.size_id}/history")
    assert [i["change"] for i in body["items"]] == ["updated", "created"]
    assert body["total"] == 2
    update = body["items"][0]
    assert update["run_id"] == changed.second_run
    assert update["changed_fields"] == ["target_size"]
    assert update["fields"] == [
        {"field": "target_size", "old": changed.old_size, "new": changed.old_size + 250}
    ]
    assert body["items"][1]["run_id"] == changed.first_run


async def test_by_registry_id_in_any_case(history_client: Client, changed: Changed) -> None:
    registry_id = changed.title_id.split(":", 1)[1].lower()
    body = await _json(history_client, f"/api/v1/trials/{registry_id}/history")
    title = next(f for f in body["items"][0]["fields"] if f["field"] == "title")
    assert title == {"field": "title", "old": changed.old_title, "new": NEW_TITLE}


async def test_pages_by_offset_and_by_cursor(history_client: Client, changed: Changed) -> None:
    url = f"/api/v1/trials/{changed.status_id}/history"
    first = await _json(history_client, f"{url}?limit=1")
    second = await _json(history_client, f"{url}?limit=1&offset=1")
    assert [first["items"][0]["change"], second["items"][0]["change"]] == ["updated", "created"]
    walk = await _json(history_client, f"{url}?limit=1&cursor=*")
    rest = await _json(history_client, f"{url}?cursor={walk['next_cursor']}")
    assert [walk["items"][0]["id"], rest["items"][0]["id"]] == [
        first["items"][0]["id"],
        second["items"][0]["id"],
    ]
    assert rest["next_cursor"] is None


async def test_unknown_trial_is_a_404_problem(history_client: Client) -> None:
    response = await history_client.get("/api/v1/trials/NCT99999999/history")
    assert response.status == 404
    assert response.content_type == "application/problem+json"
    assert "NCT99999999" in (await response.json())["detail"]


async def test_recent_items_carry_changed_fields_and_field_filters(
    history_client: Client, changed: Changed
) -> None:
    body = await _json(history_client, "/api/v1/trials/recent?change=updated")
    by_id = {i["id"]: i["changed_fields"] for i in body["items"]}
    assert by_id[changed.size_id] == ["target_size"]
    assert "status" in by_id[changed.status_id]
    assert "title" in by_id[changed.title_id]

    only = await _json(history_client, "/api/v1/trials/recent?field=status")
    assert [i["id"] for i in only["items"]] == [changed.status_id]
    two = await _json(history_client, "/api/v1/trials/recent?field=status&field=target_size")
    assert {i["id"] for i in two["items"]} == {changed.status_id, changed.size_id}
    none = await _json(history_client, "/api/v1/trials/recent?field=phase")
    assert none["items"] == []
