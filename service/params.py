"""Validated query parameters (as the schemas load them) → the query builder's value objects."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from service.errors import InvalidParameters
from service.search import RecentParams, SearchParams
from service.timewindow import Instant, Window, window

DEFAULT_RECENT_DAYS = 7


def _window(parsed: dict[str, Any], start: str, end: str) -> Window:
    try:
        return window(parsed.get(start), parsed.get(end))
    except ValueError as exc:
        raise InvalidParameters.one(start, f"{exc} ({end})") from exc
    except OverflowError as exc:  # a whole last day (9999-12-31) ends past datetime.max
        raise InvalidParameters.one(end, "is past the last date this API can handle") from exc


def _tuple(parsed: dict[str, Any], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(parsed.get(name, ())))


def search_params(parsed: dict[str, Any]) -> SearchParams:
    q = (parsed.get("q") or "").strip() or None
    return SearchParams(
        q=q,
        sources=_tuple(parsed, "source"),
        phases=_tuple(parsed, "phase"),
        statuses=_tuple(parsed, "status"),
        study_types=_tuple(parsed, "study_type"),
        departments=_tuple(parsed, "department"),
        institution=(parsed.get("institution") or "").strip() or None,
        registered=_window(parsed, "registered_from", "registered_to"),
        updated=_window(parsed, "updated_from", "updated_to"),
        include_removed=bool(parsed.get("include_removed", False)),
        sort=parsed.get("sort"),
    )


def recent_params(parsed: dict[str, Any], now: datetime) -> RecentParams:
    """The window defaults to the 7 days before its end, and its end to `now`."""
    if parsed.get("updated_from") is None:
        end = _window(parsed, "updated_from", "updated_to").end or now
        try:
            start = Instant(end - timedelta(days=DEFAULT_RECENT_DAYS), whole_day=False)
        except OverflowError as exc:
            raise InvalidParameters.one(
                "updated_to", "is too early for the default 7-day window; give updated_from"
            ) from exc
        parsed = {**parsed, "updated_from": start}
    return RecentParams(
        window=_window(parsed, "updated_from", "updated_to"),
        change=parsed.get("change", "any"),
        sources=_tuple(parsed, "source"),
        include_removed=bool(parsed.get("include_removed", False)),
    )
