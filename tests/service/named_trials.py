"""The named trials of the service tests' corpus, each written from a recorded registry record
(tests/fixtures/registries/): its titles, texts, eligibility and sites as the parsers store
them (ages in years, `sex` all|female|male, country alpha-2, `region` only where the record
states the place, `geo` only where the registry gives one). Times are days before the corpus
is built, or, for the registry's own dates, the dates the record carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trials.model import Eligibility, Outcome, Site


@dataclass(frozen=True)
class Spec:
    source: str
    registry_id: str
    title: str
    first_seen_days: float
    changed_days: float
    title_en: str | None = None
    summary: str | None = None
    conditions: tuple[str, ...] = ()
    institution: str = "서울대학교병원"
    department: str = "Internal Medicine"
    phase: str = "not_applicable"
    status: str = "completed"
    study_type: str = "interventional"
    removed_days: float | None = None
    last_change: str | None = None  # default: created if never changed since, else updated
    official_title: str | None = None
    keywords: tuple[str, ...] = ()
    description: str | None = None
    eligibility: Eligibility | None = None
    sites: tuple[Site, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    collaborators: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    # The registry's own dates. Default: registered 10 days before we first saw the trial,
    # updated when its content last changed with us.
    registered_on: date | None = None
    registered_days: float | None = None
    source_updated_on: date | None = None
    source_updated_days: float | None = None


# ClinicalTrials.gov places a Korean site at its city's centre, not at the hospital.
SEOUL = {"lat": 37.566, "lon": 126.9784}
GOYANG = {"lat": 37.65639, "lon": 126.835}
BUSAN = {"lat": 35.10278, "lon": 129.04028}
LOS_ANGELES = {"lat": 34.05223, "lon": -118.24368}
OSAKA = {"lat": 34.69374, "lon": 135.50218}
TAITO = {"lat": 35.32923, "lon": 140.39613}  # as recorded for Taito-ku, Tokyo

ICREAT = (
    Spec(
        "icreat",
        "C130010",
        "조직구증식증 임상연구 네트워크 구축 및 운영(HLH)",
        30,
        30,
        institution="서울아산병원",
        department="Pediatrics",
        study_type="observational",
    ),
    Spec(
        "icreat",
        "C130011",
        "대한민국 쇼그렌 증후군 코호트 구축",
        2,
        1.5,  # first seen and updated again inside the default 7-day window
        institution="가톨릭대 서울성모병원",
        department="Rheumatology",
        study_type="observational",
    ),
    Spec(
        "icreat",
        "C100002",
        "Lymphoma Study for Auto-PBSCT",
        40,
        1,
        institution="가톨릭대 서울성모병원",
        department="Hematology",
        study_type="observational",
    ),
    Spec(
        "icreat",
        "C200001",
        "臨床試驗 자료의 장기 추적 관찰 연구",
        90,
        90,
        department="Preventive Medicine",
        study_type="observational",
    ),
)

CRIS = (
    Spec(
        "cris",
        "KCT0011569",
        "지질층 눈물막 기능장애의 건성안에서 2% Rebamipide 점안제의 눈물지질층에 대한 치료효과",
        3,
        3,
        title_en="The therapeutic efficacy of 2% Rebamipide eye solution in tear lipid "
        "layer dysfunction of dry eye patients",
        conditions=("건성안",),
        institution="부산대학교병원",
        department="Ophthalmology",
        phase="phase_4",
        registered_days=4,  # registered the day before we first read it
        eligibility=Eligibility(20, 75, "20 세 ~ 75 세", "all", False, "지질층 눈물막 기능장애"),
        sites=(Site("부산대학교병원", "부산", "부산광역시", "KR", "completed"),),
        outcomes=(Outcome("primary", "눈물지질층 두께 변화", "4주"),),
    ),
    Spec(
        "cris",
        "KCT0011568",
        "Bacillus coagulans IDCC 1201의 섭취가 수면건강 개선에 미치는 영향 및 안전성 비교 "
        "평가연구를 위한 무작위배정, 이중 눈가림, 대조군 비교 인체적용시험",
        60,
        60,
        title_en="Clinical trial for Comparative Study on the Effect of Bacillus coagulans "
        "IDCC 1201 on Improvement of Sleep Health",
        institution="일동바이오사이언스(주)",
        department="Family Medicine",
        status="recruiting",
        source_updated_days=2,  # the registry re-dated it; its content did not change
        eligibility=Eligibility(
            19,
            65,
            "만 19세 이상 ~ 만 65세 이하",
            "all",
            True,
            "수면의 질 저하를 호소하는 건강한 성인",
        ),
        sites=(Site("차의과학대학교 분당차병원", "성남", "경기도", "KR", "recruiting"),),
        outcomes=(Outcome("primary", "피츠버그 수면의 질 지수(PSQI) 변화", "8주"),),
    ),
    Spec(
        "cris",
        "KCT0009001",
        "제2형 당뇨병의 새로운 치료제 효과",
        90,
        90,
        summary="제2형 당뇨병 환자를 대상으로 새로운 경구 치료제의 혈당 강하 효과를 평가한다.",
        conditions=("제2형 당뇨병",),
        department="Endocrinology",
        phase="phase_2",
        eligibility=Eligibility(
            19,
            70,
            "만 19세 이상 ~ 만 70세 이하",
            "all",
            False,
            "제2형 당뇨병으로 진단받고 당화혈색소가 7.0% 이상인 성인",
        ),
        sites=(
            Site("서울대학교병원", "서울", "서울특별시", "KR"),
            Site("경북대학교병원", "대구", "대구광역시", "KR"),
        ),
        funding=("보건복지부",),
    ),
    Spec(
        "cris",
        "KCT0009002",
        "대규모 임상시험을 통한 고혈압 약물 비교",
        90,
        90,
        conditions=("고혈압",),
        department="Cardiology",
        phase="phase_3",
        eligibility=Eligibility(40, 79, "40세 ~ 79세", "all", False),
        sites=(Site("전남대학교병원", country="KR"),),  # the record names no place
    ),
    Spec(
        "cris",
        "KCT0009003",
        "고혈압 환자의 생활습관 개선 프로그램",
        90,
        90,
        summary="고혈압 환자 가운데 당뇨병을 함께 앓는 사람도 참여할 수 있다.",
        conditions=("고혈압",),
        department="Cardiology",
    ),  # no eligibility recorded: open to any age and sex, as far as anyone can tell
    Spec(
        "cris",
        "KCT0000001",
        "중단된 당뇨병 예방 연구",
        120,
        1,
        removed_days=1,
        department="Endocrinology",
        eligibility=Eligibility(30, 60, "30세 ~ 60세", "all"),
        sites=(Site("서울대학교병원", "서울", "서울특별시", "KR"),),
    ),
)

CTGOV = (
    Spec(
        "ctgov",
        "NCT05923281",
        "A Study of Once-weekly Semaglutide in Korean Adults With Type 2 Diabetes",
        20,
        5,
        title_en="A Study of Once-weekly Semaglutide in Korean Adults With Type 2 Diabetes",
        official_title="Efficacy and Safety of Once-weekly Semaglutide in Korean Adults With Type"
        " 2 Diabetes Inadequately Controlled on Metformin (SUSTAIN KOREA)",
        keywords=("GLP-1 receptor agonist", "semaglutide"),
        summary="This study compares glycaemic control with semaglutide and placebo.",
        conditions=("Type 2 Diabetes",),
        institution="Seoul National University Hospital",
        department="Endocrinology",
        phase="phase_3",
        status="recruiting",
        last_change="restored",  # back in its registry 5 days ago
        eligibility=Eligibility(
            18,
            None,
            "18 Years",
            "all",
            False,
            "Inclusion Criteria:\n\n* HbA1c of 7.0-10.5% (both inclusive)\n* Stable daily dose"
            " of metformin for at least 90 days",
        ),
        sites=(
            Site(
                "Inje University Ilsan Paik Hospital",
                "Goyang",
                "경기도",
                "KR",
                "recruiting",
                GOYANG,
            ),
            Site(
                "Pusan National University Hospital",
                "Busan",
                "부산광역시",
                "KR",
                "recruiting",
                BUSAN,
            ),
        ),
        outcomes=(Outcome("primary", "Change in HbA1c", "From week 0 to week 30"),),
        collaborators=("Korea Health Industry Development Institute",),
    ),
    Spec(
        "ctgov",
        "NCT05819398",
        "Lunsayil 1: A Study to Test Whether Spesolimab Helps People With a Skin Disease "
        "Called Hidradenitis Suppurativa",
        90,
        90,
        official_title="Randomised, Double-blind, Placebo-controlled, Phase IIb/Phase III Study"
        " to Evaluate the Efficacy and Safety of Spesolimab in Patients With Moderate to Severe"
        " Hidradenitis Suppurativa. Lunsayil 1.",
        summary="This study is open to adults with moderate to severe hidradenitis suppurativa"
        " (HS). The purpose of this study is to find out whether a medicine called spesolimab"
        " helps people with HS.",
        conditions=("Hidradenitis Suppurativa",),
        institution="Boehringer Ingelheim",
        department="Dermatology",
        phase="phase_2_3",
        status="recruiting",
        registered_on=date(2023, 4, 19),
        source_updated_on=date(2023, 6, 27),
        eligibility=Eligibility(
            18,
            None,
            "18 Years",
            "all",
            False,
            "Inclusion Criteria:\n\n1. Of full age of consent at screening.\n2. Moderate to "
            "severe HS.\n\nExclusion Criteria:\n\n1. Women who are pregnant, nursing, or who "
            "plan to become pregnant while in the trial.",
        ),
        sites=(
            Site(
                "Dermatology Research Associates",
                "Los Angeles",
                None,
                "US",
                "recruiting",
                LOS_ANGELES,
            ),
            Site("The University of Tokyo Hospital", "Tokyo, Bunkyo-ku", None, "JP", "recruiting"),
            Site(
                "Korea University Anam Hospital", "Seoul", "서울특별시", "KR", "recruiting", SEOUL
            ),
        ),
        outcomes=(
            Outcome(
                "primary",
                "Part 1: Percent change from baseline in Draining fistula/tunnel (dT) count at "
                "Week 8",
                "At baseline and at week 8",
            ),
        ),
    ),
    Spec(
        "ctgov",
        "NCT05803083",
        "The Effect of Oral Hyaluronic Acid on the Skin",
        90,
        90,
        official_title="The Effect of Oral Hyaluronic Acid on the Skin-A Randomized-Blind, "
        "Placebo-Controlled Study-",
        keywords=("Hyaluronic Acid", "Skin"),
        summary="This clinical trial aims to clarify the effect of hyaluronic acid on skin "
        "conditions.",
        description="In this study, we will evaluate the skin condition before and after the "
        "intervention. The groups to be compared are two different doses of hyaluronic and a "
        "placebo.",
        conditions=("Healthy Japanese Subjects",),
        institution="Bloomage Biotechnology Corp., Ltd.",
        department="Dermatology",
        status="recruiting",
        registered_on=date(2023, 4, 7),
        source_updated_on=date(2023, 4, 7),
        eligibility=Eligibility(
            30,
            60,
            "30 Years ~ 60 Years",
            "female",
            True,
            "Inclusion Criteria:\n\n1. Japanese women between 30 and 60 years of age at the time"
            " of obtaining consent to participate in the study.\n2. Healthy individuals with no "
            "chronic physical diseases, including skin diseases.",
        ),
        sites=(Site("Ueno Asagao Clinic", "Taito-ku", None, "JP", "recruiting", TAITO),),
        outcomes=(
            Outcome(
                "primary",
                "Change from baseline skin viscoelasticity",
                "Week0, 2, 4, 8 and week 4 after the end of intake",
                "Measured using a Cutometer MPA580",
            ),
        ),
    ),
    Spec(
        "ctgov",
        "NCT05905653",
        "Pharmacokinetic Study of STN1012600 Ophthalmic Solution in Healthy Adult Males Volunteers",
        90,
        90,
        official_title="Pharmacokinetic Study of STN1012600 Ophthalmic Solution in Healthy "
        "Adult Males Volunteers",
        summary="To evaluate the safety and plasma pharmacokinetics of STN1012600 ophthalmic "
        "solution 0.002% (1 drop once daily for 7 days) in healthy adult male subjects.",
        conditions=("Healthy Adult Males Volunteers",),
        institution="Santen Pharmaceutical Co., Ltd.",
        department="Ophthalmology",
        phase="phase_1",
        status="recruiting",
        registered_on=date(2023, 6, 15),
        source_updated_on=date(2023, 6, 15),
        eligibility=Eligibility(
            18,
            35,
            "18 Years ~ 35 Years",
            "male",
            True,
            "Inclusion Criteria:\n\n* Subjects who can comply with scheduled visits and the "
            "examination and observation as specified in the clinical study protocol",
        ),
        sites=(
            Site(
                "Medical Corporation Heishinkai OPHAC Hospital",
                "Osaka",
                None,
                "JP",
                "recruiting",
                OSAKA,
            ),
        ),
        outcomes=(
            Outcome("primary", "Maximum Plasma Concentration [Cmax]", "1 week, Day 1 and Day 7"),
        ),
    ),
)

SPECS = (*ICREAT, *CRIS, *CTGOV)
