"""Filter clauses of the trial lists, one builder per parameter: validated values in, a list of
Elasticsearch filter clauses out (empty when the parameter is not given). Pure, no I/O.

Eligibility follows what the registries mean by a missing value: no age limit on a side the
record leaves open, no restriction by sex the record does not state. So a trial matches an
age unless one of its stated bounds excludes it, and a sex unless it states the other one.
Healthy volunteers are different: a record that does not say whether it takes them tells
nothing either way, so only trials that state the asked value match.
"""

from __future__ import annotations

from typing import Any

from service import geo
from service.timewindow import Window

Clauses = list[dict[str, Any]]
OTHER_SEX = {"female": "male", "male": "female"}


def terms(name: str, values: tuple[str, ...]) -> Clauses:
    return [{"terms": {name: list(values)}}] if values else []


def date_range(name: str, window: Window) -> Clauses:
    clause = window.range_clause()
    return [{"range": {name: clause}}] if clause else []


def all_words(name: str, text: str | None) -> Clauses:
    """Analysed text: every word of `text` in the field (an institution, a site's name)."""
    return [{"match": {name: {"query": text, "operator": "and"}}}] if text else []


def _open_or_within(name: str, bound: dict[str, int]) -> dict[str, Any]:
    """The bound is absent (no limit on that side) or admits the age."""
    return {
        "bool": {
            "should": [
                {"range": {name: bound}},
                {"bool": {"must_not": [{"exists": {"field": name}}]}},
            ],
            "minimum_should_match": 1,
        }
    }


def age(years: int | None) -> Clauses:
    """min_age_years ≤ years ≤ max_age_years, both bounds inclusive; an absent bound is no
    limit, so a trial without any age data matches every age."""
    if years is None:
        return []
    return [
        _open_or_within("eligibility.min_age_years", {"lte": years}),
        _open_or_within("eligibility.max_age_years", {"gte": years}),
    ]


def sex(value: str | None) -> Clauses:
    """Open to `value`: all, `value` itself, or not stated; never the other sex only."""
    if value is None:
        return []
    return [{"bool": {"must_not": [{"term": {"eligibility.sex": OTHER_SEX[value]}}]}}]


def healthy_volunteers(value: bool | None) -> Clauses:
    return [] if value is None else [{"term": {"eligibility.healthy_volunteers": value}}]


def near(point: geo.GeoPoint | None, km: float) -> Clauses:
    return [] if point is None else [geo.within(point, km)]
