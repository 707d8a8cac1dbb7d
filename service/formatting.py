"""Formatting responses: Elasticsearch hits and responses in, the API's JSON out (trials, list
items, facets, the page envelope, validators for conditional GET). Pure, no I/O; which page to
fetch is `service.paging`'s business."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from service.geo import GeoPoint, nearest_km
from service.search import FACETS
from service.timewindow import Window

LIST_FIELDS = ("conditions", "interventions")
HIDDEN_FIELDS = ("last_run_id",)
# What a list item shows of the eligibility: who, not the criteria text
ELIGIBILITY_SUMMARY = ("min_age_years", "max_age_years", "sex", "healthy_volunteers")


def trial(source: Mapping[str, Any]) -> dict[str, Any]:
    """The stored document as the API shows it; list fields are always lists."""
    item = {k: v for k, v in source.items() if k not in HIDDEN_FIELDS}
    for name in LIST_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, list):
            item[name] = [value]
    return item


def list_item(source: Mapping[str, Any]) -> dict[str, Any]:
    """The compact form of a trial in a list: the fields `search.LIST_SOURCE` fetched, the
    eligibility summary, and its sites' regions and countries, each once, in site order."""
    item = trial(source)
    sites = _as_list(item.pop("sites", []))
    eligibility = item.get("eligibility") or {}
    item["eligibility"] = {k: eligibility[k] for k in ELIGIBILITY_SUMMARY if k in eligibility}
    item["regions"] = _distinct(site.get("region") for site in sites)
    item["countries"] = _distinct(site.get("country") for site in sites)
    return item


def _as_list(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value]


def _distinct(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def search_item(
    hit: Mapping[str, Any], near: GeoPoint | None = None, by_distance: bool = False
) -> dict[str, Any]:
    """A list item with its score (none when sorted by distance: there is no relevance to
    show) and highlights, and, when the search was `near` a point, the
    distance to the trial's nearest site, computed from the sites' points."""
    item = list_item(hit["_source"])
    item["score"] = None if by_distance else hit.get("_score")
    item["highlight"] = hit.get("highlight", {})
    if near is not None:
        km = nearest_km(near, _as_list(hit["_source"].get("sites", [])))
        item["distance_km"] = None if km is None else round(km, 3)
    return item


def change_of(
    source: Mapping[str, Any], window: Window, change: str = "any", created: str = "first_seen_at"
) -> str:
    """The list the item was asked from; under `any`, `created` when new in the window (by
    the `created` date: first seen, or registered), whether or not it changed again after,
    otherwise `updated`."""
    if change != "any":
        return change
    stamp = source.get(created)
    if stamp and window.contains(datetime.fromisoformat(stamp)):
        return "created"
    return "updated"


def recent_item(
    hit: Mapping[str, Any], window: Window, change: str = "any", created: str = "first_seen_at"
) -> dict[str, Any]:
    item = list_item(hit["_source"])
    item["change"] = change_of(hit["_source"], window, change, created)
    item["changed_fields"] = hit["_source"].get("changed_fields", [])
    return item


def select(item: dict[str, Any], names: tuple[str, ...] | None) -> dict[str, Any]:
    """Only the fields named by `fields=` (all without it), in the order named; a field the
    trial lacks stays absent."""
    if names is None:
        return item
    return {name: item[name] for name in names if name in item}


def sync_run(hit: Mapping[str, Any]) -> dict[str, Any]:
    """A sync-log document is shown as stored."""
    return dict(hit["_source"])


def facets(aggregations: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [
            {"value": bucket["key"], "count": bucket["doc_count"]}
            for bucket in aggregations.get(name, {}).get("buckets", [])
        ]
        for name in FACETS
    }


def total_of(response: Mapping[str, Any]) -> tuple[int, str]:
    total = response["hits"]["total"]
    return int(total["value"]), str(total["relation"])


def list_page(
    items: list[dict[str, Any]],
    total: tuple[int, str],
    *,
    offset: int,
    limit: int,
    next_cursor: str | None,
) -> dict[str, Any]:
    """The envelope every list endpoint answers with."""
    return {
        "items": items,
        "total": total[0],
        "total_relation": total[1],
        "offset": offset,
        "limit": limit,
        "next_cursor": next_cursor,
    }


def last_modified(source: Mapping[str, Any]) -> datetime | None:
    stamps = [source.get("changed_at"), source.get("removed_at")]
    moments = [datetime.fromisoformat(s) for s in stamps if s]
    return max(moments) if moments else None


def etag(source: Mapping[str, Any], names: tuple[str, ...] | None = None) -> str:
    """Changes whenever the content, its change time or its removal changes, and differs for
    each choice of `fields=` (another representation)."""
    basis = "|".join(str(source.get(k) or "") for k in ("content_hash", "changed_at", "removed_at"))
    if names is not None:
        basis += "|" + ",".join(names)
    return '"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)
