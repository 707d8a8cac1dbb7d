"""Property-based sweeps: any mix of known and unknown parameters with any text, on search,
recent changes and the export (the served API never answers 5xx, answers within the bound, and
every refusal is a problem); and the pure query builder, for any text in the text parameters of
a search or of a recent-changes request, only ever emits plain-text query types."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.params import recent_params, search_params
from service.recent import CHANGES, recent_body
from service.schemas.trials import ExportQuerySchema, RecentQuerySchema, TrialSearchQuerySchema
from service.search import search_body
from tests.hostile.checks import (
    FORBIDDEN,
    assert_nothing_dangerous_sent,
    assert_refused_cleanly,
    keys_of,
)
from tests.hostile.conftest import Served

# The parameters as sent (a field's data_key: `fields` is loaded as `fields_`)
NAMES = sorted(
    {
        field.data_key or name
        for schema in (TrialSearchQuerySchema(), RecentQuerySchema(), ExportQuerySchema())
        for name, field in schema.fields.items()
    }
)
ENDPOINTS = ["/api/v1/trials", "/api/v1/trials/recent", "/api/v1/trials/export"]
SYNTAX = ["*", "?", "/.*/", '"', "'", "\\", "~", "^", "[", "{", "..", "%00"]
NUMBERS = ["NaN", "-1", "1e309", "9" * 30]
DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-02-03T09:00+25:00"]
NASTY = st.sampled_from([*SYNTAX, *NUMBERS, *DATES])
VALUES = st.one_of(st.text(max_size=40), NASTY, st.integers().map(str))
PARAMS = st.lists(
    st.tuples(st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=10)), VALUES),
    max_size=8,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=PARAMS, endpoint=st.sampled_from(ENDPOINTS))
def test_any_parameters_get_an_answer_or_a_problem(
    served: Served, pairs: list[tuple[str, str]], endpoint: str
) -> None:
    since = len(served.proxy.sent)
    path = f"{endpoint}?{urlencode(pairs)}"
    reply = served.api.get(path)
    assert_refused_cleanly(reply, len(path))
    assert reply.status in (200, 400), (path, reply.status, reply.body[:300])
    assert_nothing_dangerous_sent(served, since)


def _user_text_only_in_plain_queries(body: object) -> None:
    assert not FORBIDDEN & set(keys_of(body))


def _strings(value: Any) -> Iterator[str]:
    """Every string value in a query body (keys left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


TEXTS = st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    q=st.text(max_size=60),
    institution=st.text(max_size=30),
    department=TEXTS,
    source=TEXTS,
    change=st.one_of(st.sampled_from(CHANGES), st.text(max_size=20)),
    sort=st.sampled_from([None, "relevance", "changed_at", "registered_at"]),
)
def test_the_builder_emits_no_pattern_or_script_query_for_any_text(
    q: str,
    institution: str,
    department: list[str],
    source: list[str],
    change: str,
    sort: str | None,
) -> None:
    parsed = {"q": q, "institution": institution, "department": department, "source": source}
    body = search_body(search_params({**parsed, "sort": sort}))
    _user_text_only_in_plain_queries(body)
    recent = recent_body(recent_params({"source": source, "change": change}, datetime.now(UTC)))
    _user_text_only_in_plain_queries(recent)
    # The random text did reach both bodies, so the checks above looked at it.
    assert set(source) <= set(_strings(recent))
    assert set(source) | set(department) <= set(_strings(body))
    for typed in (q.strip(), institution.strip()):
        assert not typed or any(typed in text for text in _strings(body))
