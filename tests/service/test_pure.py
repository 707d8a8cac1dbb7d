"""The pure pieces: cursor tokens, time windows, the query builder, conditional GET."""

from __future__ import annotations

import dataclasses
import json
import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappings import load
from service.conditional import not_modified
from service.cursor import CursorCodec, CursorState, InvalidCursor
from service.recent import RecentParams, recent_body
from service.search import (
    HIGHLIGHT_FIELDS,
    TEXT_FIELDS,
    SearchParams,
    registry_doc_id,
    search_body,
    sort_clause,
)
from service.timewindow import SEOUL, parse_instant, window
from tests.service.test_trial_views import copy_sources

STATE = CursorState(
    "search",
    "pit-id==",
    [12.5, 1700000000000, "cris:KCT1"],
    [["q", "당뇨병"]],
    "2026-02-03T00:00:00+00:00",
    20,
)


def test_cursor_round_trip() -> None:
    codec = CursorCodec(b"k" * 32)
    assert codec.decode(codec.encode(STATE), "search") == STATE


def test_cursor_from_another_key_is_refused() -> None:
    token = CursorCodec(b"a" * 32).encode(STATE)
    with pytest.raises(InvalidCursor):
        CursorCodec(b"b" * 32).decode(token, "search")


# What a token is written in, and characters a client could put in its place.
TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_."
OTHER_CHARACTERS = "+/=! 가"


@pytest.mark.parametrize("served", [20, 1234])  # payloads of two lengths (mod 3)
def test_any_altered_character_is_detected(served: int) -> None:
    """Every position, every other character: all ~15,000 alterations are refused."""
    codec = CursorCodec(b"k" * 32)
    token = codec.encode(dataclasses.replace(STATE, served=served))
    accepted = []
    for index, original in enumerate(token):
        for replacement in sorted(set(TOKEN_ALPHABET + OTHER_CHARACTERS) - {original}):
            altered = token[:index] + replacement + token[index + 1 :]
            try:
                codec.decode(altered, "search")
            except InvalidCursor:
                continue
            accepted.append(f"{index}: {original!r} -> {replacement!r}")
    assert accepted == []


def test_bare_date_is_the_whole_seoul_day() -> None:
    day = window(parse_instant("2026-02-03"), parse_instant("2026-02-03"))
    assert day.start == datetime(2026, 2, 2, 15, tzinfo=UTC)
    assert day.end == datetime(2026, 2, 3, 15, tzinfo=UTC)
    assert day.end_exclusive
    assert day.contains(datetime(2026, 2, 3, 14, 59, 59, tzinfo=UTC))
    assert not day.contains(datetime(2026, 2, 3, 15, tzinfo=UTC))
    assert day.range_clause() == {
        "gte": "2026-02-03T00:00:00+09:00",
        "lt": "2026-02-04T00:00:00+09:00",
    }


def test_date_time_bounds_are_inclusive_and_naive_means_seoul() -> None:
    moment = parse_instant("2026-02-03T09:30:00")
    assert moment.at == datetime(2026, 2, 3, 9, 30, tzinfo=SEOUL)
    point = window(moment, moment)
    assert point.range_clause() == {"gte": moment.at.isoformat(), "lte": moment.at.isoformat()}


@pytest.mark.parametrize("text", ["2026-02-30", "yesterday", "2026/02/03", "", "T10:00"])
def test_unparseable_instants(text: str) -> None:
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_instant(text)


def test_window_backwards() -> None:
    with pytest.raises(ValueError, match="after its end"):
        window(parse_instant("2026-02-04"), parse_instant("2026-02-03"))


@given(st.text(max_size=200))
def test_user_text_only_reaches_plain_text_queries(q: str) -> None:
    text = json.dumps(search_body(SearchParams(q=q or None)))
    for forbidden in (
        "query_string",
        "simple_query_string",
        "regexp",
        "wildcard",
        "script",
        "prefix",
        "fuzzy",
    ):
        assert f'"{forbidden}"' not in text


def test_search_body_shape() -> None:
    params = SearchParams(q="당뇨병", sources=("cris",), phases=("phase_3",), expand=False)
    body = search_body(params)
    must = body["query"]["bool"]["must"][0]["bool"]
    text, registry_id = must["should"]  # no concepts: expand=False
    assert must["minimum_should_match"] == 1
    assert text["multi_match"]["query"] == "당뇨병 "  # nori reads the last word as in a sentence
    assert "text_titles^3" in text["multi_match"]["fields"]
    assert registry_id["match"]["registry_id"]["query"] == "당뇨병"  # a keyword: as typed
    assert {"terms": {"source": ["cris"]}} in body["query"]["bool"]["filter"]
    assert body["query"]["bool"]["must_not"] == [{"exists": {"field": "removed_at"}}]
    assert body["sort"] == [{"_score": "desc"}]  # equal scores in index order (sort_clause)
    assert list(body["aggs"]) == [
        *("phase", "status", "source", "department"),
        *("region", "country", "sex", "condition"),
    ]
    assert "highlight" in body


def test_the_words_are_one_flat_sum_of_bounded_leaves() -> None:
    """Every clause the words score by is a field's own words (no tie-breaker, no nested
    sum), so the node can bound the sum and skip the hits that cannot reach a page."""
    words = search_body(SearchParams(q="lung cancer surgery", expand=False))["query"]["bool"]
    text = words["must"][0]["bool"]["should"][0]["multi_match"]
    assert text["type"] == "most_fields"
    assert "tie_breaker" not in text
    assert all(field.partition("^")[0].startswith("text_") for field in text["fields"])


def test_every_weighted_field_is_a_copy_of_searched_fields() -> None:
    """The words score only where the mapping copies text: each weighted field is a
    `copy_to` target of some field, and every copied field reaches `text_all` (where a match
    is found) too."""
    targets = copy_sources(load("trials").body["mappings"]["properties"])
    weighted = {field.partition("^")[0].removesuffix(".en") for field in TEXT_FIELDS}
    assert weighted == set(targets)
    assert set().union(*targets.values()) == targets["text_all"]
    assert {"title", "conditions", "description", "eligibility.criteria"} <= targets["text_all"]


def test_relevance_without_words_is_newest_first() -> None:
    assert search_body(SearchParams(sort="relevance"))["sort"] == sort_clause("changed_at")


def test_each_field_is_highlighted_by_its_own_query() -> None:
    fields = search_body(SearchParams(q="당뇨병의"))["highlight"]["fields"]
    assert set(fields) == {*HIGHLIGHT_FIELDS, "concepts.ko", "concepts.en"}
    for name, options in fields.items():
        if name.startswith("concepts."):  # also the labels of the concepts found (expansion)
            continue
        clauses = options["highlight_query"]["bool"]["should"]
        assert [next(iter(c.values())) for c in clauses] == [{name: "당뇨병의 "}] * 2


def test_no_query_sorts_by_change_and_keeps_removed_on_request() -> None:
    body = search_body(SearchParams(include_removed=True))
    assert body["sort"][0] == {"changed_at": {"order": "desc", "missing": "_last"}}
    assert body["query"]["bool"]["must_not"] == []
    assert "highlight" not in body


def test_recent_any_is_created_or_updated() -> None:
    start = datetime(2026, 2, 1, tzinfo=UTC)
    win = window(parse_instant(start.isoformat()), None)
    updated = recent_body(RecentParams(win, "updated"))["query"]["bool"]["filter"][0]
    assert updated["bool"]["filter"] == [
        {"range": {"changed_at": {"gte": start.isoformat()}}},
        {"terms": {"last_change": ["updated", "restored"]}},
    ]
    created = recent_body(RecentParams(win, "created"))["query"]["bool"]["filter"][0]
    assert created == {"range": {"first_seen_at": {"gte": start.isoformat()}}}
    both = recent_body(RecentParams(win, "any"))["query"]["bool"]["filter"][0]
    assert both["bool"] == {"should": [created, updated], "minimum_should_match": 1}


def test_conditional_get() -> None:
    modified = datetime(2026, 2, 3, 9, 0, 0, 500_000, tzinfo=UTC)
    header = "Tue, 03 Feb 2026 09:00:00 GMT"
    assert not_modified({"If-None-Match": '"a", "b"'}, '"b"', modified)
    assert not_modified({"If-None-Match": "*"}, '"b"', None)
    assert not not_modified({"If-None-Match": '"a"', "If-Modified-Since": header}, '"b"', modified)
    assert not_modified({"If-Modified-Since": header}, '"b"', modified)
    earlier = "Tue, 03 Feb 2026 08:59:59 GMT"
    assert not not_modified({"If-Modified-Since": earlier}, '"b"', modified)
    assert not not_modified({"If-Modified-Since": "never"}, '"b"', modified)
    assert not not_modified({}, '"b"', modified + timedelta(days=1))


@pytest.mark.parametrize(
    ("registry_id", "expected"),
    [
        ("C130010", "icreat:C130010"),
        ("kct0011569", "cris:KCT0011569"),
        ("NCT05923281", "ctgov:NCT05923281"),
        ("demo-000123", "demo:DEMO-000123"),
        ("KCT001156", None),  # one digit short
        ("NCT059232811", None),
        ("C1300100", None),
        ("DEMO0007", None),
        ("당뇨병", None),
    ],
)
def test_registry_ids_in_their_registry_format_name_their_document(
    registry_id: str, expected: str | None
) -> None:
    assert registry_doc_id(registry_id) == expected
