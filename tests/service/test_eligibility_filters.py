"""GET /api/v1/trials?age=…&sex=…&healthy_volunteers=…: who may take part, on the real node.

The corpus' trials with stated eligibility (tests/service/named_trials.py), ages in years:
KCT0011569 20-75, KCT0011568 19-65 (healthy volunteers), KCT0009001 19-70, KCT0009002 40-79,
NCT05923281 18-, NCT05819398 18-, NCT05803083 30-60 women (healthy volunteers),
NCT05905653 18-35 men (healthy volunteers). Every other live trial states nothing, so it
matches every age and either sex.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
LIVE_TOTAL = 73
STATED = {
    "cris:KCT0011569",
    "cris:KCT0011568",
    "cris:KCT0009001",
    "cris:KCT0009002",
    "ctgov:NCT05923281",
    "ctgov:NCT05819398",
    "ctgov:NCT05803083",
    "ctgov:NCT05905653",
}
UNSTATED = LIVE_TOTAL - len(STATED)


async def found(client: Client, query: str) -> tuple[set[str], int]:
    """The trials with stated eligibility that match, and the total."""
    response = await client.get(f"/api/v1/trials?{query}&limit=100")
    assert response.status == 200, await response.text()
    body = await response.json()
    ids = {item["id"] for item in body["items"]}
    assert len(ids) == body["total"]
    return ids & STATED, body["total"]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, set()),
        # 18: NCT05905653's and the open-ended minimum; KCT0011568 starts at 19 (min - 1)
        (18, {"ctgov:NCT05923281", "ctgov:NCT05819398", "ctgov:NCT05905653"}),
        # 19 = KCT0011568's and KCT0009001's minimum: inclusive
        (
            19,
            {
                "cris:KCT0011568",
                "cris:KCT0009001",
                "ctgov:NCT05923281",
                "ctgov:NCT05819398",
                "ctgov:NCT05905653",
            },
        ),
        # 65 = KCT0011568's maximum: inclusive; NCT05803083 ends at 60, NCT05905653 at 35
        (
            65,
            {
                "cris:KCT0011569",
                "cris:KCT0011568",
                "cris:KCT0009001",
                "cris:KCT0009002",
                "ctgov:NCT05923281",
                "ctgov:NCT05819398",
            },
        ),
        # 66 = KCT0011568's maximum + 1
        (
            66,
            {
                "cris:KCT0011569",
                "cris:KCT0009001",
                "cris:KCT0009002",
                "ctgov:NCT05923281",
                "ctgov:NCT05819398",
            },
        ),
        (100, {"ctgov:NCT05923281", "ctgov:NCT05819398"}),  # no maximum: no limit
    ],
)
async def test_age_is_inside_the_range_bounds_included(
    client: Client, age: int, expected: set[str]
) -> None:
    stated, total = await found(client, f"age={age}")
    assert stated == expected
    assert total == len(expected) + UNSTATED  # no stated age: no limit


@pytest.mark.parametrize(
    ("sex", "admitted", "refused"),
    [
        ("female", "ctgov:NCT05803083", "ctgov:NCT05905653"),
        ("male", "ctgov:NCT05905653", "ctgov:NCT05803083"),
    ],
)
async def test_sex_matches_that_sex_and_all(
    client: Client, sex: str, admitted: str, refused: str
) -> None:
    stated, total = await found(client, f"sex={sex}")
    assert stated == STATED - {refused}
    assert admitted in stated
    assert total == LIVE_TOTAL - 1  # trials that state no sex stay in


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", {"cris:KCT0011568", "ctgov:NCT05803083", "ctgov:NCT05905653"}),
        (
            "false",
            {
                "cris:KCT0011569",
                "cris:KCT0009001",
                "cris:KCT0009002",
                "ctgov:NCT05923281",
                "ctgov:NCT05819398",
            },
        ),
    ],
)
async def test_healthy_volunteers_only_where_stated(
    client: Client, value: str, expected: set[str]
) -> None:
    stated, total = await found(client, f"healthy_volunteers={value}")
    assert stated == expected
    assert total == len(expected)  # a record that does not say matches neither


async def test_filters_combine(client: Client) -> None:
    stated, total = await found(client, "age=45&sex=female&region=서울특별시")
    assert stated == {"cris:KCT0009001", "ctgov:NCT05819398"}
    assert total == 2
    stated, _ = await found(client, "q=skin&age=45&sex=female&healthy_volunteers=true")
    assert stated == {"ctgov:NCT05803083"}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("age=-1", "age"),
        ("age=151", "age"),
        ("age=45.5", "age"),
        ("age=forty", "age"),
        ("sex=all", "sex"),
        ("sex=F", "sex"),
        ("healthy_volunteers=maybe", "healthy_volunteers"),
    ],
)
async def test_bad_eligibility_parameters_are_named(client: Client, query: str, name: str) -> None:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    assert name in [e["name"] for e in (await response.json())["errors"]]
