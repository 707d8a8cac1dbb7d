"""Pure query building for /trials/recent: the trials created or updated in a time window,
dated by our index's writes (`basis=index`) or by the registry's own dates (`basis=registry`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service import filters
from service.search import list_source, newest, not_removed, sort_clause
from service.timewindow import Window

CHANGES = ("created", "updated", "any")
BASES = ("index", "registry")
# `last_change` values that count as an update: new content, or back in the registry
UPDATE_KINDS = ("updated", "restored")
# What dates a trial's creation, by basis (its `change` under `any` is read from it)
CREATED_FIELD = {"index": "first_seen_at", "registry": "registered_at"}


@dataclass(frozen=True)
class RecentParams:
    window: Window
    change: str = "any"
    sources: tuple[str, ...] = ()
    include_removed: bool = False
    basis: str = "index"
    fields: tuple[str, ...] = ()  # only trials whose latest change changed one of these


def change_clause(change: str, window: Window, basis: str = "index") -> dict[str, Any]:
    """The trials created or updated in `window`, by our index's dates or the registry's."""
    if basis == "registry":
        return registry_change_clause(change, window)
    return index_change_clause(change, window)


def index_change_clause(change: str, window: Window) -> dict[str, Any]:
    """created: first seen in the window. updated: its content changed in the window by an
    update or a restore (`changed_at` in it, and `last_change`, what the indexer's write that
    set `changed_at` was, is `updated` or `restored`). A trial first seen and then changed
    again in one window is in both; `any` is their union."""
    created = {"range": {"first_seen_at": window.range_clause()}}
    updated = {
        "bool": {
            "filter": [
                {"range": {"changed_at": window.range_clause()}},
                {"terms": {"last_change": list(UPDATE_KINDS)}},
            ]
        }
    }
    return _pick(change, created, updated)


def registry_change_clause(change: str, window: Window) -> dict[str, Any]:
    """created: registered in the window. updated: the registry's last update is in the
    window and the trial was registered before it. Registries date a new record's last update
    on its registration, and which of the two dates came first cannot be compared without a
    script, so a trial registered in the window counts as created only."""
    created = {"range": {"registered_at": window.range_clause()}}
    updated = {
        "bool": {
            "filter": [{"range": {"source_updated_at": window.range_clause()}}],
            "must_not": [created],
        }
    }
    return _pick(change, created, updated)


def _pick(change: str, created: dict[str, Any], updated: dict[str, Any]) -> dict[str, Any]:
    if change == "created":
        return created
    if change == "updated":
        return updated
    return {"bool": {"should": [created, updated], "minimum_should_match": 1}}


def recent_sort(params: RecentParams) -> list[dict[str, Any]]:
    """Latest change first: our `changed_at`, or the registry's latest date (its update, or
    its registration when only created trials are listed)."""
    if params.basis == "index":
        return sort_clause("changed_at")
    if params.change == "created":
        return sort_clause("registered_at")
    return [newest("source_updated_at"), *sort_clause("registered_at")]


def recent_body(params: RecentParams) -> dict[str, Any]:
    filters_ = [
        change_clause(params.change, params.window, params.basis),
        *filters.terms("source", params.sources),
        *changed_fields_clause(params),
    ]
    return {
        "query": {"bool": {"filter": filters_, "must_not": not_removed(params.include_removed)}},
        "sort": recent_sort(params),
        "source": {"includes": [*list_source()["includes"], "changed_fields"]},
    }


def changed_fields_clause(params: RecentParams) -> list[dict[str, Any]]:
    """`field=`: the trial's latest content change (stored on it by the indexer, as
    `changed_fields`) is in the window and changed one of the fields."""
    if not params.fields:
        return []
    return [
        {"terms": {"changed_fields": list(params.fields)}},
        {"range": {"changed_at": params.window.range_clause()}},
    ]
