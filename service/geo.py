"""Distances for the `near` search: the point a user gives (`lat,lon`), the query's
`geo_distance` filter over the sites' points, the nearest-first order, and the distance to a
trial's nearest site, computed here from the stored sites (no script runs in Elasticsearch)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Elasticsearch's mean Earth radius (its `arc` distance is the haversine over this sphere),
# so a distance computed here agrees with the node's sort and filter.
EARTH_RADIUS_KM = 6371.0087714
DEFAULT_WITHIN_KM = 50.0
MAX_WITHIN_KM = 20_000.0  # about half the Earth's circumference: everywhere
SITES_GEO = "sites.geo"


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float

    def as_dict(self) -> dict[str, float]:
        return {"lat": self.lat, "lon": self.lon}


def parse_point(text: str) -> GeoPoint:
    """`37.5665,126.978` → GeoPoint. Raises ValueError with a message fit for an API user."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError("expected latitude,longitude in degrees, e.g. 37.5665,126.978")
    try:
        lat, lon = (float(part) for part in parts)
    except ValueError:
        raise ValueError("latitude and longitude must be numbers, e.g. 37.5665,126.978") from None
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError("latitude must be between -90 and 90")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError("longitude must be between -180 and 180")
    return GeoPoint(lat, lon)


def within(point: GeoPoint, km: float) -> dict[str, Any]:
    """Trials with at least one site within `km` of `point` (sites without a point never
    match)."""
    return {"geo_distance": {"distance": f"{km}km", SITES_GEO: point.as_dict()}}


def nearest_first(point: GeoPoint) -> dict[str, Any]:
    """The sort that puts the trial whose nearest site is nearest to `point` first (the sort
    value is in metres). Elasticsearch hands it to Lucene's own distance sort, which skips
    the points that cannot reach the page, only with the defaults (arc, min, metres): with
    `unit: km` a 50 km page around Seoul took the node 36 → 267 ms from 50,000 to 500,000
    generated studies, and a `distance_feature` score 21 → 82 ms (it read every trial at the
    sites thousands of trials share); this sort 14 → 28 ms (`python -m bench.scale.took`)."""
    return {
        "_geo_distance": {
            SITES_GEO: point.as_dict(),
            "order": "asc",
            "mode": "min",
            "distance_type": "arc",
        }
    }


def distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance (haversine)."""
    phi_a, phi_b = math.radians(a.lat), math.radians(b.lat)
    d_phi, d_lambda = phi_b - phi_a, math.radians(b.lon - a.lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(point: GeoPoint, sites: Iterable[Mapping[str, Any]]) -> float | None:
    """From `point` to the nearest of the sites that have a point, or None if none has."""
    points = [s["geo"] for s in sites if isinstance(s.get("geo"), Mapping)]
    distances = [distance_km(point, GeoPoint(p["lat"], p["lon"])) for p in points]
    return min(distances) if distances else None
