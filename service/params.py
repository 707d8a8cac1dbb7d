"""Validated query parameters (as the schemas load them) → the query builder's value objects."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from service.errors import InvalidParameters
from service.geo import DEFAULT_WITHIN_KM, GeoPoint
from service.recent import RecentParams
from service.search import SearchParams
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


def _text(parsed: dict[str, Any], name: str) -> str | None:
    return (parsed.get(name) or "").strip() or None


def _near(parsed: dict[str, Any]) -> tuple[GeoPoint | None, float]:
    """The point and radius; a radius or a distance sort without a point is refused."""
    point, km = parsed.get("near"), parsed.get("within_km")
    if point is None and km is not None:
        raise InvalidParameters.one("within_km", "needs near (latitude,longitude)")
    if point is None and parsed.get("sort") == "distance":
        raise InvalidParameters.one("sort", "distance needs near (latitude,longitude)")
    return point, DEFAULT_WITHIN_KM if km is None else float(km)


def search_params(parsed: dict[str, Any]) -> SearchParams:
    near, within_km = _near(parsed)
    return SearchParams(
        q=_text(parsed, "q"),
        sources=_tuple(parsed, "source"),
        phases=_tuple(parsed, "phase"),
        statuses=_tuple(parsed, "status"),
        study_types=_tuple(parsed, "study_type"),
        departments=_tuple(parsed, "department"),
        institution=_text(parsed, "institution"),
        registered=_window(parsed, "registered_from", "registered_to"),
        updated=_window(parsed, "updated_from", "updated_to"),
        source_updated=_window(parsed, "source_updated_from", "source_updated_to"),
        age=parsed.get("age"),
        sex=parsed.get("sex"),
        healthy_volunteers=parsed.get("healthy_volunteers"),
        countries=_tuple(parsed, "country"),
        regions=_tuple(parsed, "region"),
        site=_text(parsed, "site"),
        near=near,
        within_km=within_km,
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
        basis=parsed.get("basis", "index"),
        fields=_tuple(parsed, "field"),
    )
