"""The table test: chosen real records of each registry, and what their documents must say.

Every expected value below was written down by reading the raw record in
`tests/fixtures/registries/` (quoted in the comments where it helps), not computed by the code
under test. Long texts are checked by their ends and length.
"""

from __future__ import annotations

from typing import Any

from indexer.sources.cris import CrisSource
from indexer.sources.ctgov import CtgovSource
from indexer.sources.icreat import normalize as icreat_normalize
from testkit.registry import records
from trials.model import Eligibility, Outcome, Site, StudyPeriod, Trial

# --- ClinicalTrials.gov ------------------------------------------------------------------------


def ctgov(nct: str) -> Trial:
    source = CtgovSource(client=None, url="http://x", query="")  # type: ignore[arg-type]
    studies = {
        s["protocolSection"]["identificationModule"]["nctId"]: s for s in records.ctgov_studies()
    }
    return source.normalize(studies[nct])


def korean(sites: list[Site]) -> list[Site]:
    return [site for site in sites if site.country == "KR"]


def geo(lat: float, lon: float) -> dict[str, Any]:
    return {"lat": lat, "lon": lon}


def test_ctgov_nct05911841_korean_sites_by_their_state() -> None:
    """Lilly, atopic dermatitis: 56 locations; in Korea the state names the 시/도 ("Incheon-
    gwangyeoksi [Incheon]", "Seoul-teukbyeolsi [Seoul]") and the city does not ("Bupyeong")."""
    trial = ctgov("NCT05911841")
    assert trial.official_title == (
        "A Phase 2, Randomized, Double-Blind, Parallel-Group, Placebo-Controlled, 52 Week Study "
        "to Evaluate the Efficacy and Safety of LY3454738 in the Treatment of Adult Patients With "
        "Moderate-to-Severe Atopic Dermatitis"
    )
    assert (trial.sponsor, trial.institution) == ("Eli Lilly and Company", "Eli Lilly and Company")
    assert trial.collaborators == []
    assert trial.keywords == []
    assert trial.description is None
    assert trial.intervention_types == ["drug"]
    # first submitted 2023-06-12, first posted 2023-06-22
    assert trial.registered_at == "2023-06-22T00:00:00.000Z"
    assert trial.source_updated_at == "2023-06-22T00:00:00.000Z"
    assert trial.study_period == StudyPeriod(
        start="2023-06-15",
        end="2025-05-01",
        months=23,
        start_type="estimated",
        end_type="estimated",
    )
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years, e.ages_raw) == (18.0, 70.0, "18 Years ~ 70 Years")
    assert (e.sex, e.healthy_volunteers) == ("all", False)
    assert e.criteria is not None
    assert e.criteria.startswith("Inclusion Criteria:\n\n* Are candidates for systemic therapy.")
    assert len(trial.sites) == 56
    assert trial.sites[0] == Site(
        name="Johnson Dermatology",
        city="Fort Smith",
        country="US",
        geo=geo(35.38592, -94.39855),
    )
    assert korean(trial.sites) == [
        Site(
            name="The Catholic University of Korea, Incheon St. Mary's Hospital",
            city="Bupyeong",
            region="인천광역시",
            country="KR",
        ),  # no geoPoint in the record
        Site(
            name="Chung-Ang University Hospital",
            city="Dongjak",
            region="서울특별시",
            country="KR",
            geo=geo(35.15713, 126.8166),  # as recorded (the registry's geocoding)
        ),
        Site(
            name="Hallym University Kangnam Sacred Heart Hospital",
            city="Seoul",
            region="서울특별시",
            country="KR",
            geo=geo(37.566, 126.9784),
        ),
    ]
    assert [o.kind for o in trial.outcomes] == ["primary"] + ["secondary"] * 9
    assert trial.outcomes[0] == Outcome(
        kind="primary",
        measure="Percentage of Participants Achieving Eczema Area and Severity Index (EASI) 75",
        time_frame="Week 16",
    )
    assert trial.outcomes[-1] == Outcome(
        kind="secondary",
        measure="Pharmacokinetics (PK): Serum Trough Concentrations of LY3454738",
        time_frame="Baseline to Week 16",
    )


def test_ctgov_nct05915728_korean_sites_with_geo_points() -> None:
    """Bayer, gadoquatrane: 107 locations, 4 in Korea with state "Gyeonggido" / "Seoul
    Teugbyeolsi" and a geoPoint each."""
    trial = ctgov("NCT05915728")
    assert len(trial.sites) == 107
    assert korean(trial.sites) == [
        Site("Ajou University Hospital", "Suwon", "경기도", "KR", None, geo(37.29111, 127.00889)),
        Site(
            "Seoul National University Hospital",
            "Seoul",
            "서울특별시",
            "KR",
            None,
            geo(37.566, 126.9784),
        ),
        Site(
            "Konkuk University Medical Center",
            "Seoul",
            "서울특별시",
            "KR",
            None,
            geo(37.566, 126.9784),
        ),
        Site("Asan Medical Center", "Seoul", "서울특별시", "KR", None, geo(37.566, 126.9784)),
    ]
    assert trial.sites[0] == Site(
        "University of Alabama at Birmingham",
        "Birmingham",
        None,
        "US",
        None,
        geo(33.52066, -86.80249),
    )
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years, e.ages_raw) == (18.0, None, "18 Years ~ N/A")
    assert trial.registered_at == "2023-06-23T00:00:00.000Z"  # submitted 2023-06-14
    assert trial.study_period == StudyPeriod(
        start="2023-07-26",
        end="2024-11-01",
        months=16,
        start_type="estimated",
        end_type="estimated",
    )
    assert [o.kind for o in trial.outcomes].count("primary") >= 2
    assert trial.outcomes[0].time_frame == "1 day procedure"
    assert trial.outcomes[0].description is not None
    assert trial.outcomes[0].description.startswith(
        "Contrast Enhancement will be assessed on a 4-point"
    )


def test_ctgov_nct05883644_a_city_that_is_a_province_and_one_that_is_not() -> None:
    """AstraZeneca, HCC: Korean sites with no state; city "Gyeonggi-do" names the 시/도,
    "Seongnam-si" does not (it lies in 경기도, but the record does not say so)."""
    trial = ctgov("NCT05883644")
    assert len(trial.sites) == 47
    assert [(s.city, s.region) for s in korean(trial.sites)] == [
        ("Gyeonggi-do", "경기도"),
        ("Seongnam-si", None),
        ("Seoul", "서울특별시"),
        ("Seoul", "서울특별시"),
        ("Seoul", "서울특별시"),
        ("Seoul", "서울특별시"),
    ]
    assert korean(trial.sites)[1].geo == geo(37.43861, 127.13778)
    assert trial.keywords == [
        "liver cancer",
        "human mAb",
        "immunoglobulin G1 kappa subclass",
        "STRIDE",
        "Barcelona Clinic Liver Cancer (BCLC)",
        "Child-Pugh",
    ]
    assert trial.description is not None
    assert trial.description.startswith("This is a Phase IIIb, open-label, single arm, multicentre")
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years) == (18.0, 130.0)


def test_ctgov_nct05942599_ages_in_months_and_a_recruiting_site() -> None:
    trial = ctgov("NCT05942599")
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years, e.ages_raw) == (0.5, 16.0, "6 Months ~ 16 Years")
    assert (e.sex, e.healthy_volunteers) == ("all", False)
    assert e.criteria is not None
    assert len(e.criteria) == 2181
    assert e.criteria.startswith("Inclusion Criteria:\n\n* Male or female patients")
    assert trial.sites == [
        Site(
            name="Great Ormond Street Hospital for Children",
            city="London",
            country="GB",
            status="recruiting",
            geo=geo(51.50853, -0.12574),
        )
    ]
    assert trial.collaborators == ["Wellcome Trust"]
    assert trial.intervention_types == ["biological"]
    assert trial.description is not None
    assert trial.description.startswith("Who can participate? Patients aged 6 months to 16 years")
    assert trial.registered_at == "2023-07-12T00:00:00.000Z"  # submitted 2023-07-04
    assert trial.study_period == StudyPeriod(
        start="2023-07-21", end="2026-06-30", months=35, start_type="actual", end_type="estimated"
    )
    assert [(o.kind, o.measure, o.time_frame) for o in trial.outcomes] == [
        (
            "primary",
            "Frequency and description of adverse events after BE-CAR33 Infusion",
            "1 Year",
        ),
        (
            "secondary",
            "Number of patients achieving disease remission ahead of allo-SCT",
            "28 Days",
        ),
    ]
    assert trial.outcomes[1].description == (
        "Remission rate will be assessed by bone marrow and CNS evaluation after 28 days. Disease "
        "remission is defined as morphological complete remission (CR) or complete remission with "
        "incomplete hematologic recovery (CRi) with MRD by flow and/or PCR."
    )


def test_ctgov_nct05901974_a_person_as_lead_sponsor() -> None:
    """leadSponsor "Sheng-Li Xue, MD" is a person: the sponsor is the registering
    organisation, "The First Affiliated Hospital of Soochow University"."""
    trial = ctgov("NCT05901974")
    hospital = "The First Affiliated Hospital of Soochow University"
    assert (trial.sponsor, trial.institution) == (hospital, hospital)
    assert trial.collaborators == [
        "Jining Medical University",
        "The Second People's Hospital of Huai'an",
        "First Affiliated Hospital Bengbu Medical College",
        "Affiliated Hospital of Nantong University",
        "Suzhou Hospital of Traditional Chinese Medicine",
        "Northern Jiangsu Province People's Hospital",
    ]
    assert trial.sites == [
        Site(
            name="The First Affliated Hospital of Soochow University",  # sic
            city="Suzhou",
            country="CN",
            status="recruiting",
            geo=geo(31.30408, 120.59538),
        )
    ]
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years) == (15.0, 65.0)


def test_ctgov_nct00415220_an_individual_and_undated_types() -> None:
    """Organisation and lead sponsor are both "McMorland, Gordon, D.C." (class INDIV): no
    organisation is named. Old record: year-month dates without a type."""
    trial = ctgov("NCT00415220")
    assert (trial.sponsor, trial.institution) == (None, None)
    assert trial.collaborators == ["Foundation for Chiropractic Education and Research (FCER)"]
    assert trial.keywords == [
        "Chiropractic",
        "Manipulation",
        "Back surgery",
        "Herniated lumbar disc",
        "Sciatica",
        "Lumbar microdiscectomy",
        "Cost-effectiveness",
    ]
    assert trial.study_period == StudyPeriod(start="2000-01-01", end="2004-05-01", months=52)
    assert trial.registered_at == "2006-12-22T00:00:00.000Z"
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years, e.ages_raw) == (18.0, None, "18 Years ~ N/A")
    assert trial.outcomes == [
        Outcome("primary", "McGill Pain Score"),
        Outcome("primary", "Roland Morris Disability Index"),
        Outcome("primary", "Aberdeen Pain Scale"),
        Outcome("primary", "SF-36 General Health Survey"),
    ]
    assert [(s.name, s.city, s.region, s.country) for s in trial.sites] == [
        ("National Spine Care", "Calgary", None, "CA"),
        (
            "University of Calgary, Faculty of Medicine, Division of Neurosurgery",
            "Calgary",
            None,
            "CA",
        ),
    ]
    assert trial.intervention_types == ["procedure"]


def test_ctgov_nct05774990_estimated_year_month_dates_and_only_a_maximum_age() -> None:
    trial = ctgov("NCT05774990")
    # startDateStruct {"date": "2023-04", "type": "ESTIMATED"}, completion "2025-08" ESTIMATED
    assert trial.study_period == StudyPeriod(
        start="2023-04-01",
        end="2025-08-01",
        months=28,
        start_type="estimated",
        end_type="estimated",
    )
    e = trial.eligibility
    assert (e.min_age_years, e.max_age_years, e.ages_raw) == (None, 17.0, "N/A ~ 17 Years")
    assert trial.sites == [
        Site(name="Rasmus Møller Duus", city="Odense", country="DK", geo=geo(55.39594, 10.38831))
    ]
    assert trial.collaborators == [
        "Odense University Hospital",
        "Odense Patient Data Explorative Network",
    ]
    assert trial.intervention_types == []
    assert len(trial.keywords) == 8
    assert trial.keywords[0] == "leukemia"
    assert trial.registered_at == "2023-03-20T00:00:00.000Z"


# --- CRIS ---------------------------------------------------------------------------------------


def cris(item: dict[str, Any], detail: dict[str, Any] | None = None) -> Trial:
    source = CrisSource(client=None, url="http://x", key="k")  # type: ignore[arg-type]
    return source.normalize({"list": item, "detail": detail})


def cris_item(trial_id: str) -> dict[str, Any]:
    return next(i for i in records.cris_list_items() if i["trial_id"] == trial_id)


def test_cris_kct0007888_detail() -> None:
    """The recorded detail: target_age_range_kr "20 세 ~ 75 세", target_gender_kr "둘다", one
    research site, one primary outcome, funding_items 산업통상자원부, enrolment 2022-11-07 예정,
    no completion date, registered 2022/11/11, updated 2022/10/31."""
    trial = cris(cris_item("KCT0007888"), records.cris_detail_sample())
    assert trial.title == "치주질환과 관상동맥 질환 발생 연관성 연구: 전향적 코호트 연구"
    assert trial.eligibility == Eligibility(
        min_age_years=20.0, max_age_years=75.0, ages_raw="20 세 ~ 75 세", sex="all"
    )
    assert trial.sites == [Site(name="학교법인연세대학교치과대학치과병원")]
    assert trial.outcomes == [
        Outcome(
            kind="primary",
            measure="Oral rinse와 gingival crevicular fluid 표본 내 미생물의 α-diversity를 16s "
            "rRNA 염기서열분석으로 분석한 후, 시험군과 대조군의 차이, 그리고 시험군에서는 치주치료 "
            "전, 치료 후 1개월, 치료 후 3개월의 차이를 비교 평가함",
            time_frame="시험군에서는 치주치료 전, 치료 후 1개월, 치료 후 3개월의 차이를 "
            "비교 평가함.",
        )
    ]
    assert trial.funding == ["산업통상자원부"]
    assert trial.sponsor == "학교법인연세대학교치과대학치과병원"
    assert trial.institution == "연세대학교"
    assert trial.study_period == StudyPeriod(start="2022-11-07", start_type="estimated")
    assert trial.registered_at == "2022-11-10T15:00:00.000Z"  # Seoul midnight in UTC
    assert trial.source_updated_at == "2022-10-30T15:00:00.000Z"
    assert (trial.status, trial.study_type, trial.target_size) == (
        "not_yet_recruiting",
        "observational",
        80,
    )
    # an observational study: i_freetext_type_kr "" and no condition code
    assert (trial.interventions, trial.intervention_types, trial.conditions) == ([], [], [])


def test_cris_kct0007888_english_fields_when_the_korean_are_empty() -> None:
    detail = {
        **records.cris_detail_sample(),
        "target_age_range_kr": "",
        "target_gender_kr": "",
        "research_items": [{"site_name_kr": "", "site_name_en": "Yonsei University Health System"}],
    }
    trial = cris(cris_item("KCT0007888"), detail)
    assert trial.eligibility == Eligibility(20.0, 75.0, "20 Year ~ 75 Year", "all")
    assert trial.sites == [Site(name="Yonsei University Health System")]


def test_cris_every_site_secondary_outcomes_and_addresses() -> None:
    """The recorded detail with more rows of the shapes it has (two more research sites, a
    secondary outcome beside the primary): every site is kept, every outcome, and a region only
    where a site row carries an address."""
    detail = records.cris_detail_sample()
    recorded_outcome = detail["outcome_items"][0]
    detail = {
        **detail,
        "research_items": [
            *detail["research_items"],
            {
                "site_name_kr": "부산대학교병원",
                "site_name_en": "Pusan National University Hospital",
            },
            {
                "site_name_kr": "분당서울대학교병원",
                "site_address_kr": "경기도 성남시 분당구 구미로",
            },
        ],
        "outcome_items": [
            {
                **recorded_outcome,
                "secondary_outcome_kr": "치주낭 깊이",
                "secondary_outcome_time_kr": "3개월",
            }
        ],
    }
    trial = cris(cris_item("KCT0007888"), detail)
    assert trial.sites == [
        Site(name="학교법인연세대학교치과대학치과병원"),
        Site(name="부산대학교병원"),  # 부산 in a name is not a stated place
        Site(name="분당서울대학교병원", region="경기도", country="KR"),
    ]
    assert [(o.kind, o.time_frame) for o in trial.outcomes] == [
        ("primary", recorded_outcome["primary_outcome_time_kr"]),
        ("secondary", "3개월"),
    ]
    assert trial.outcomes[1].measure == "치주낭 깊이"


def test_cris_kct0011569_list_item_only() -> None:
    """List item: i_freetext_kr 의약품 (a type), primary_outcome_1_kr 안검연 모세혈관 확장,
    source_name_kr 부산대학교병원, enrolment 2023-05-25 실제등록, completion 2024-01-25
    실제등록. No detail: no ages, no sites."""
    trial = cris(cris_item("KCT0011569"))
    assert trial.interventions == []
    assert trial.intervention_types == ["drug"]
    assert trial.outcomes == [Outcome(kind="primary", measure="안검연 모세혈관 확장")]
    assert trial.funding == ["부산대학교병원"]
    assert trial.sponsor == "부산대학교병원"
    assert trial.study_period == StudyPeriod(
        start="2023-05-25", end="2024-01-25", months=8, start_type="actual", end_type="actual"
    )
    assert trial.eligibility == Eligibility()
    assert trial.sites == []
    assert trial.registered_at == "2026-02-02T15:00:00.000Z"


def test_cris_kct0011358_several_intervention_types_run_together() -> None:
    trial = cris(cris_item("KCT0011358"))  # i_freetext_kr "의료기구시술수술"
    assert trial.intervention_types == ["device", "procedure"]
    assert trial.study_period == StudyPeriod(
        start="2026-01-05", end="2026-08-31", months=7, start_type="estimated", end_type="estimated"
    )
    assert trial.outcomes == [
        Outcome(
            kind="primary",
            measure="PCR 검사 결과 HPV의 검출량의 반정량적 감소가 확인된 대상자의 비율",
        )
    ]


def test_cris_kct0011299_funder_is_not_the_sponsor() -> None:
    """source_name_kr "(주) 셀트리온" funds, primary_sponsor_kr 아주대학교병원 sponsors;
    i_freetext_kr 의약품 + 생물학적제제/백신(줄기세포를 제외한 생물학적제제/백신)."""
    trial = cris(cris_item("KCT0011299"))
    assert trial.funding == ["(주) 셀트리온"]
    assert trial.sponsor == "아주대학교병원"
    assert trial.intervention_types == ["drug", "biological"]
    assert trial.title == (
        "체중감소와 골대사 위험인자를 동반한 GLP-1수용체 작용제 계열 치료 비만 대상자에서 "
        "데노수맙의 효과 평가"
    )


def test_cris_kct0011545_observational_without_completion() -> None:
    """No i_freetext_kr (observational); results_date_completed and its type are ""."""
    trial = cris(cris_item("KCT0011545"))
    assert trial.intervention_types == []
    assert trial.study_period == StudyPeriod(start="2026-03-02", start_type="estimated")
    assert trial.funding == ["(주)대웅제약"]
    assert trial.sponsor == "강북삼성병원"
    assert trial.outcomes[0].measure == (
        "6시간 관찰창 단위에서 평균동맥압(MAP) 65 mmHg 미만의 저혈압 검출 여부"
    )


# --- iCReaT -------------------------------------------------------------------------------------


def icreat(task: str) -> Trial:
    return icreat_normalize(
        "icreat", next(r for r in records.icreat_records() if r["과제번호"] == task)
    )


def test_icreat_c100001_an_observational_task() -> None:
    """9 fields: no ages, sex, sites, outcomes or dates exist in the task records."""
    trial = icreat("C100001")
    assert (
        trial.title_ko
        == "급성심근경색 환자에서의 심부전 발생, 특성 및 예후: 1998년도와 2008년도의 비교"
    )
    assert (trial.institution, trial.department, trial.scope) == (
        "서울대학교병원",
        "Cardiology",
        "국내다기관",
    )
    assert (trial.study_type, trial.phase, trial.phase_raw) == (
        "observational",
        "not_applicable",
        "코호트",
    )
    assert trial.study_period == StudyPeriod(raw="6개월", months=6)
    assert trial.target_size is None
    assert (trial.eligibility, trial.sites, trial.outcomes, trial.funding) == (
        Eligibility(),
        [],
        [],
        [],
    )


def test_icreat_c100005_an_interventional_task() -> None:
    trial = icreat("C100005")
    assert (trial.title, trial.title_en, trial.title_ko) == ("POET study", "POET study", None)
    assert (trial.study_type, trial.phase, trial.target_size) == ("interventional", "phase_4", 2062)
    assert trial.study_period == StudyPeriod(raw="60개월", months=60)
    assert trial.institution == "서울아산병원"
    assert (trial.eligibility, trial.sites, trial.outcomes) == (Eligibility(), [], [])
