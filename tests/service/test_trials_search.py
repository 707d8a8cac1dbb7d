"""GET /api/v1/trials: Korean full-text search, ranking, filters, facets, highlights."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
SEOUL = ZoneInfo("Asia/Seoul")
# The ctgov trials with sites in Japan (one also in the US and Korea)
NCT05803083 = "ctgov:NCT05803083"
JAPAN = {"ctgov:NCT05819398", NCT05803083, "ctgov:NCT05905653"}
LIVE_TOTAL = 73
PLACES = ("region", "country", "sex")  # corpus: 13 named trials + 60 demo, one more removed


async def ids(client: Client, query: str) -> list[str]:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 200, await response.text()
    return [item["id"] for item in (await response.json())["items"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("당뇨병", {"cris:KCT0009001", "cris:KCT0009003"}),  # 당뇨병의, 당뇨병을
        ("당뇨병의 치료제를", {"cris:KCT0009001"}),  # particles in the query are dropped
        # a particle ending the query too: alone, nori reads 당뇨병의 as 당뇨 + 병의
        ("당뇨병의", {"cris:KCT0009001", "cris:KCT0009003"}),
        ("환자의", {"cris:KCT0009001", "cris:KCT0009003"}),  # … and 환자의 as 환자 + 의
        ("임상시험", {"cris:KCT0009002"}),  # 임상시험을: compound plus particle
        ("임상", {"cris:KCT0009002", "icreat:C130010"}),  # a part of 임상시험, 임상연구
        ("臨床試驗", {"icreat:C200001"}),  # hanja query, hanja title
        # hanja read as hangul: 試驗 is 시험, found in 臨床試驗, 임상시험을 and 인체적용시험
        ("試驗", {"icreat:C200001", "cris:KCT0009002", "cris:KCT0011568"}),
        ("쇼그렌 증후군", {"icreat:C130011"}),
        ("diabetes", {"ctgov:NCT05923281"}),
        ("Rebamipide", {"cris:KCT0011569"}),  # Latin token inside Korean text
        ("dry eye", {"cris:KCT0011569"}),  # English title
        ("kct0011569", {"cris:KCT0011569"}),  # registry id, any case
        ("건성안", {"cris:KCT0011569"}),  # condition
        ("서울아산병원", {"icreat:C130010"}),  # institution: 서울 + 아산 + 병원, all needed
    ],
)
async def test_korean_and_english_queries(client: Client, q: str, expected: set[str]) -> None:
    assert set(await ids(client, f"q={q}")) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("SUSTAIN KOREA", {"ctgov:NCT05923281"}),  # official title
        ("receptor agonist", {"ctgov:NCT05923281"}),  # keywords
        ("different doses", {"ctgov:NCT05803083"}),  # description
        ("scheduled visits", {"ctgov:NCT05905653"}),  # eligibility criteria
        ("당화혈색소", {"cris:KCT0009001"}),  # … in Korean
        ("Cmax", {"ctgov:NCT05905653"}),  # an outcome's measure
        ("분당차병원", {"cris:KCT0011568"}),  # a site's name
        ("OPHAC Hospital", {"ctgov:NCT05905653"}),
        ("Health Industry Development", {"ctgov:NCT05923281"}),  # a collaborator
        ("보건복지부", {"cris:KCT0009001"}),  # funding
        # two official titles, a description and a summary
        ("placebo", {"ctgov:NCT05819398", "ctgov:NCT05803083", "ctgov:NCT05923281"}),
    ],
)
async def test_the_complete_record_is_searched(client: Client, q: str, expected: set[str]) -> None:
    assert set(await ids(client, f"q={q}")) == expected


async def test_a_title_ranks_above_the_long_texts(client: Client) -> None:
    # healthy: in NCT05905653's titles; in NCT05803083's condition and eligibility criteria
    assert await ids(client, "q=healthy") == ["ctgov:NCT05905653", "ctgov:NCT05803083"]


@pytest.mark.parametrize(
    ("q", "field", "fragments"),
    [
        ("SUSTAIN", "official_title", 1),
        ("semaglutide", "keywords", 1),
        ("분당차병원", "sites.name", 1),
        ("different doses", "description", 1),  # one passage of a long text
    ],
)
async def test_new_texts_are_highlighted(
    client: Client, q: str, field: str, fragments: int
) -> None:
    body = await (await client.get(f"/api/v1/trials?q={q}")).json()
    marked = body["items"][0]["highlight"][field]
    assert len(marked) == fragments
    assert "<em>" in marked[0]


async def test_title_match_ranks_above_body_match(client: Client) -> None:
    assert await ids(client, "q=당뇨병") == ["cris:KCT0009001", "cris:KCT0009003"]


async def test_exact_phrase_ranks_first(client: Client) -> None:
    found = await ids(client, "q=고혈압 약물 비교")
    assert found[0] == "cris:KCT0009002"


@pytest.mark.parametrize(
    "q", ["title:당뇨병 OR *", '"unbalanced', "\\", "a AND (b", "/.*/", "당뇨병~2^10", "🙂"]
)
async def test_query_syntax_is_plain_text(client: Client, q: str) -> None:
    response = await client.get("/api/v1/trials", params={"q": q})
    assert response.status == 200
    assert (await response.json())["total"] < LIVE_TOTAL  # `*` did not become match-all


async def test_highlights_mark_matched_terms(client: Client) -> None:
    body = await (await client.get("/api/v1/trials?q=당뇨병")).json()
    first = body["items"][0]
    assert any("<em>당뇨병</em>" in f for f in first["highlight"]["title"])
    assert first["score"] > body["items"][1]["score"]


async def test_institution_matches_are_highlighted(client: Client) -> None:
    body = await (await client.get("/api/v1/trials?q=서울아산병원")).json()
    # 서울 + 아산 + 병원 to nori; marked as one phrase
    assert body["items"][0]["highlight"]["institution"] == ["<em>서울아산병원</em>"]


async def test_a_query_ending_in_a_particle_is_highlighted(client: Client) -> None:
    body = await (await client.get("/api/v1/trials?q=당뇨병의")).json()
    assert [item["id"] for item in body["items"]] == ["cris:KCT0009001", "cris:KCT0009003"]
    assert any("<em>당뇨" in f for f in body["items"][0]["highlight"]["title"])
    assert any("<em>당뇨" in f for f in body["items"][1]["highlight"]["summary"])


async def test_removed_trials_only_on_request(client: Client) -> None:
    assert "cris:KCT0000001" not in await ids(client, "q=당뇨병")
    assert "cris:KCT0000001" in await ids(client, "q=당뇨병&include_removed=true")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=ctgov", {"ctgov:NCT05923281", *JAPAN}),
        ("source=cris&phase=phase_3", {"cris:KCT0009002"}),
        ("source=icreat&study_type=observational&department=PEDIATRICS", {"icreat:C130010"}),
        ("institution=서울아산병원", {"icreat:C130010"}),
        ("institution=서울성모병원&source=icreat", {"icreat:C130011", "icreat:C100002"}),
        ("status=recruiting", {"ctgov:NCT05923281", "cris:KCT0011568", *JAPAN}),
        ("q=당뇨병&department=Endocrinology", {"cris:KCT0009001"}),
    ],
)
async def test_filters(client: Client, query: str, expected: set[str]) -> None:
    assert set(await ids(client, query)) == expected


async def test_date_filters_are_inclusive(client: Client, loaded: dict[str, Any]) -> None:
    for field, prefix in (("changed_at", "updated"), ("registered_at", "registered")):
        moment = loaded["icreat:C130011"][field]
        query = f"{prefix}_from={moment}&{prefix}_to={moment}&limit=100"
        assert await ids(client, query) == ["icreat:C130011"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the registry's own update dates (ClinicalTrials.gov's last update posted)
        ("source_updated_from=2023-06-01&source_updated_to=2023-06-30", JAPAN - {NCT05803083}),
        ("source_updated_from=2023-06-27&source_updated_to=2023-06-27", {"ctgov:NCT05819398"}),
        ("source_updated_to=2023-06-15", {"ctgov:NCT05803083", "ctgov:NCT05905653"}),
    ],
)
async def test_registry_update_filter(client: Client, query: str, expected: set[str]) -> None:
    assert set(await ids(client, f"{query}&limit=100")) == expected


async def test_a_bare_date_is_the_whole_seoul_day(client: Client, loaded: dict[str, Any]) -> None:
    seoul_day = datetime.fromisoformat(loaded["icreat:C130011"]["changed_at"]).astimezone(SEOUL)
    day = seoul_day.date().isoformat()
    found = set(await ids(client, f"updated_from={day}&updated_to={day}&limit=100"))
    expected = {
        trial_id
        for trial_id, doc in loaded.items()
        if doc.get("removed_at") is None
        and datetime.fromisoformat(doc["changed_at"]).astimezone(SEOUL).date().isoformat() == day
    }
    assert "icreat:C130011" in found
    assert found == expected


async def test_facets_count_the_whole_result(client: Client) -> None:
    body = await (await client.get("/api/v1/trials?limit=1")).json()
    assert body["total"] == LIVE_TOTAL
    assert body["total_relation"] == "eq"
    sources = {b["value"]: b["count"] for b in body["facets"]["source"]}
    assert sources == {"demo": 60, "cris": 5, "icreat": 4, "ctgov": 4}
    departments = {b["value"] for b in body["facets"]["department"]}
    assert "pediatrics" in departments
    assert {b["value"] for b in body["facets"]["phase"]} >= {
        "phase_1",
        "phase_2",
        "phase_3",
        "not_applicable",
    }
    assert len(body["facets"]["status"]) == 2
    counts = {name: {b["value"]: b["count"] for b in body["facets"][name]} for name in PLACES}
    assert counts == {
        "region": {"서울특별시": 2, "부산광역시": 2, "경기도": 2, "대구광역시": 1},
        "country": {"KR": 6, "JP": 3, "US": 1},
        "sex": {"all": 6, "female": 1, "male": 1},
    }


async def test_facets_keep_their_order_and_follow_the_filters(client: Client) -> None:
    body = await (await client.get("/api/v1/trials?country=jp&limit=1")).json()
    assert list(body["facets"]) == ["phase", "status", "source", "department", *PLACES, "condition"]
    countries = {b["value"]: b["count"] for b in body["facets"]["country"]}
    assert countries == {"JP": 3, "US": 1, "KR": 1}  # NCT05819398 runs in all three
    assert [b["value"] for b in body["facets"]["region"]] == ["서울특별시"]


async def test_sorts(client: Client, loaded: dict[str, dict[str, Any]]) -> None:
    for sort in ("changed_at", "registered_at", "source_updated_at"):
        body = await (await client.get(f"/api/v1/trials?sort={sort}&limit=100")).json()
        keys = [(item[sort], item["id"]) for item in body["items"]]
        assert len(keys) == LIVE_TOTAL
        assert keys == sorted(keys, key=lambda k: (-_ts(k[0]), k[1]))


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


async def test_offset_and_limit(client: Client) -> None:
    everything = await ids(client, "limit=100")
    assert len(everything) == LIVE_TOTAL
    assert await ids(client, "offset=10&limit=5") == everything[10:15]
    assert await ids(client, "offset=9980&limit=20") == []  # the last allowed window


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("offset=9981&limit=20", "offset"),
        ("offset=10000", "offset"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("sort=title", "sort"),
        ("source=pubmed", "source"),
        ("registered_from=2026-13-01", "registered_from"),
        ("source_updated_to=2026-02-30", "source_updated_to"),
        ("source_updated_from=2026-02-03&source_updated_to=2026-02-01", "source_updated_from"),
        ("sort=distance", "sort"),
        ("updated_from=2026-02-03&updated_to=2026-02-01", "updated_from"),
        ("q=" + "가" * 501, "q"),
        ("q=" + "가" * 3000, "q"),  # 27 KB of URL: still a problem+json, naming q
        ("source=cris" + "&source=cris" * 20, "source"),
        ("include_removed=maybe", "include_removed"),
        ("colour=blue", "colour"),
    ],
)
async def test_bad_parameters_are_named(client: Client, query: str, name: str) -> None:
    response = await client.get(f"/api/v1/trials?{query}")
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == 400
    assert name in [e["name"] for e in body["errors"]]
    assert name in body["detail"]
    if query.startswith("offset=9981"):
        assert "cursor" in body["detail"]
