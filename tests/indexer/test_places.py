"""Countries → alpha-2, the 시/도 a record states, and people written where organisations belong
(pure functions; the texts are the forms seen in the recorded ClinicalTrials.gov locations)."""

from __future__ import annotations

import pytest

from indexer.sources.organisations import looks_like_person
from indexer.sources.places import country_code, korean_region, region_in
from testkit.registry import records
from trials.regions import REGIONS, region_named


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, Republic of", "KR"),
        ("United States", "US"),
        ("Czechia", "CZ"),
        ("Russian Federation", "RU"),
        ("Turkey", "TR"),
        ("Taiwan", "TW"),
        ("Hong Kong", "HK"),
        ("united kingdom", "GB"),
        ("Narnia", None),
        (None, None),
    ],
)
def test_country_codes(name: str | None, code: str | None) -> None:
    assert country_code(name) == code


def test_every_recorded_country_has_a_code() -> None:
    names = {
        loc["country"]
        for study in records.ctgov_studies()
        for loc in study["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
    }
    assert names
    assert {n for n in names if country_code(n) is None} == set()


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Gyeonggido", "경기도"),
        ("Gyounggido", "경기도"),
        ("Gyeonggi Province", "경기도"),
        ("Gyeonggi-do", "경기도"),
        ("Seoul Teugbyeolsi", "서울특별시"),
        ("Seoul-teukbyeolsi [Seoul]", "서울특별시"),
        ("Incheon-gwangyeoksi [Incheon]", "인천광역시"),
        ("Goyang-si, Gyeonggi-do", "경기도"),
        ("Gwangju-si, Gyeonggi-do", "경기도"),  # the province, not 광주광역시
        ("Busan", "부산광역시"),
        ("Daejeon", "대전광역시"),
        ("North Chungcheong Province", "충청북도"),
        ("Jeollabuk-do", "전북특별자치도"),
        ("경기도 고양시 덕양구", "경기도"),
        ("서울 종로구 대학로 101", "서울특별시"),
        # names no 시/도: a district, a city inside a province, a hospital, the country
        ("Gangnam-Gu", None),
        ("Bundang-gu, Seongnam-si", None),
        ("Seongnam-si", None),
        ("Jeonju", None),
        ("부산대학교병원", None),
        ("Korea", None),
        (None, None),
    ],
)
def test_regions_only_where_the_text_names_one(text: str | None, region: str | None) -> None:
    assert region_in(text) == region


def test_the_state_comes_before_the_city() -> None:
    assert korean_region("Gyeonggi-do", "Seoul") == "경기도"
    assert korean_region("Gangnam-Gu", "Seoul") == "서울특별시"
    assert korean_region(None, "Suwon") is None


def test_regions_are_the_seventeen_official_names() -> None:
    assert len(REGIONS) == 17
    assert len(set(REGIONS)) == 17
    assert all(region_named(name) == name for name in REGIONS)
    assert region_named("서울") == "서울특별시"
    assert region_named("강원도") == "강원특별자치도"
    assert region_named("광주시") is None  # Gwangju-si is in 경기도


@pytest.mark.parametrize(
    ("name", "kind", "person"),
    [
        ("Arbelaez, Ana Maria", None, True),
        ("Arbelaez, Ana Maria", "INDIV", True),
        ("wang, jianxiang", "OTHER", True),
        ("Sheng-Li Xue, MD", "OTHER", True),
        ("Shoichi Maruyama MD PhD", "OTHER", True),
        ("McMorland, Gordon, D.C.", "INDIV", True),
        ("Mesoblast, Ltd.", "INDUSTRY", False),
        ("Becton, Dickinson and Company", "INDUSTRY", False),
        ("University of Colorado, Denver", "OTHER", False),
        ("Xuanwu Hospital, Beijing", "OTHER", False),
        ("Rigshospitalet, Denmark", "OTHER", False),
        ("Dr. Reddy's Laboratories Limited", "INDUSTRY", False),
        ("Novo Nordisk A/S", "INDUSTRY", False),
        ("Eli Lilly and Company", "INDUSTRY", False),
    ],
)
def test_people_are_told_from_organisations(name: str, kind: str | None, person: bool) -> None:
    assert looks_like_person(name, kind) is person
