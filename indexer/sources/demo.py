"""Synthetic trials for a machine without registry keys: deterministic, in Korean and English,
marked `synthetic`, with ids (`DEMO-000123`) no registry uses.

`demo_study(i)` is shaped like a CRIS record (list item + detail: bilingual titles, summary,
condition, intervention type, recruitment status, dates and their types, ages, sex, outcome,
sites with addresses across several 시/도), so the demo exercises every search field and filter.
It builds record i on its own, from (seed, i) alone. The iCReaT-shaped records the fake registry
serves in tests and benchmarks are made in `testkit.synthetic` from the same draws.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

from indexer.sources import cris, parsing
from indexer.sources.base import Raw
from trials.model import Trial, content_hash

T = TypeVar("T")

DISEASES = [
    ("위암", "Gastric Cancer"),
    ("제2형 당뇨병", "Type 2 Diabetes"),
    ("고혈압", "Hypertension"),
    ("류마티스 관절염", "Rheumatoid Arthritis"),
    ("만성 신장병", "Chronic Kidney Disease"),
    ("알츠하이머병", "Alzheimer Disease"),
    ("천식", "Asthma"),
    ("아토피 피부염", "Atopic Dermatitis"),
    ("급성 심근경색", "Acute Myocardial Infarction"),
    ("우울증", "Depression"),
    ("갑상선암", "Thyroid Cancer"),
    ("소아 백혈병", "Childhood Leukemia"),
]
HOSPITALS = [
    "서울대학교병원",
    "서울아산병원",
    "삼성서울병원",
    "세브란스병원",
    "가톨릭대 서울성모병원",
]


def demo_id(index: int) -> str:
    return f"DEMO-{index:06d}"


class Draws:
    """Cheap deterministic draws from one 64-bit mix of (seed, index): a benchmark serves
    100k records, and seeding a `random.Random` per record would dominate that."""

    def __init__(self, seed: int, index: int) -> None:
        value = (index * 0x9E3779B97F4A7C15 + seed * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        value ^= value >> 31
        self.value = (value * 0x94D049BB133111EB) & (2**64 - 1)

    def below(self, n: int) -> int:
        self.value, drawn = divmod(self.value, n)
        return drawn

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]


_DEPARTMENT_OF = {
    "위암": "Oncology",
    "갑상선암": "Oncology",
    "소아 백혈병": "Pediatrics",
    "제2형 당뇨병": "Endocrinology",
    "고혈압": "Cardiology",
    "급성 심근경색": "Cardiology",
    "알츠하이머병": "Neurology",
    "우울증": "Psychiatry",
    "천식": "Pulmonology",
    "아토피 피부염": "Dermatology",
    "류마티스 관절염": "Rheumatology",
    "만성 신장병": "Nephrology",
}
_STUDY_DESIGNS = [
    ("{} 환자에서 신약의 유효성 및 안전성 평가", "Efficacy and Safety of a New Drug in {}", True),
    ("{}에 대한 다기관 무작위배정 임상시험", "A Multicenter Randomized Trial in {}", True),
    ("{}에 대한 다기관 코호트 연구", "A Multicenter Cohort Study of {}", False),
    ("韓國人 {} 환자의 유전체 코호트", "A Genomic Cohort of Korean Patients with {}", False),
    ("{}의 예후 인자 분석", "Prognostic Factors in {}", False),
]
_OUTCOMES = [
    ("유효성과 안전성", "efficacy and safety"),
    ("장기 예후", "long-term prognosis"),
    ("삶의 질 변화", "change in quality of life"),
    ("재발률", "recurrence rate"),
]
# (as the summary says it, as CRIS's i_freetext_kr labels the type, in English)
_INTERVENTIONS = [
    ("의약품", "의약품", "a drug"),
    ("의료기기", "의료기구", "a medical device"),
    ("행동요법", "행동요인", "a behavioural therapy"),
    ("생물학적제제", "생물학적제제백신줄기세포를제외한생물학적제제백신", "a biologic"),
]
_RECRUITMENT = [
    ("대상자 모집 전", "Not yet recruiting"),
    ("대상자 모집 중", "Recruiting"),
    ("대상자 모집 완료", "Active, not recruiting"),
    ("연구 종료", "Completed"),
]
# target_age_range_kr / _en, as CRIS writes them; children for the childhood disease
_ADULT_AGES = [
    ("만 19세 이상", "19 Year(s) ~ No Limit"),
    ("20 세 ~ 75 세", "20 Year ~ 75 Year"),
    ("만 19세 이상 ~ 만 65세 미만", "19 Year(s) ~ 64 Year(s)"),
    ("만 65세 이상", "65 Year(s) ~ No Limit"),
    ("제한없음", "No Limit"),
]
_CHILD_AGES = ("1 세 ~ 18 세", "1 Year ~ 18 Year")
_GENDERS = [
    ("둘다", "Both"),
    ("둘다", "Both"),
    ("둘다", "Both"),
    ("여성", "Female"),
    ("남성", "Male"),
]
# The demo's site rows carry an address (the recorded CRIS rows hold names only), so a site's
# region comes from its address as the normaliser reads it. Multicentre studies add one of
# _OTHER_SITES.
_HOSPITAL_ADDRESSES = {
    "서울대학교병원": "서울특별시 종로구 대학로 101",
    "서울아산병원": "서울특별시 송파구 올림픽로43길 88",
    "삼성서울병원": "서울특별시 강남구 일원로 81",
    "세브란스병원": "서울특별시 서대문구 연세로 50-1",
    "가톨릭대 서울성모병원": "서울특별시 서초구 반포대로 222",
}
_OTHER_SITES = [
    ("분당서울대학교병원", "경기도 성남시 분당구 구미로173번길 82"),
    ("부산대학교병원", "부산광역시 서구 구덕로 179"),
    ("경북대학교병원", "대구광역시 중구 동덕로 130"),
    ("충남대학교병원", "대전광역시 중구 문화로 282"),
    ("전남대학교병원", "광주광역시 동구 제봉로 42"),
    ("제주대학교병원", "제주특별자치도 제주시 아란13길 15"),
]
_TRIAL_PHASES = ["Phase 1", "Phase 2", "Phase 3", "Phase 4", "Phase 2/Phase 3"]
_SPONSORS = ["한미약품", "유한양행", "종근당", "대웅제약", "질병관리청", "한국보건산업진흥원"]
_EPOCH = date(2018, 1, 1)


def _object_particle(word: str) -> str:
    """을 after a final consonant, 를 after a vowel: the demo's Korean reads naturally."""
    last = ord(word[-1]) - 0xAC00
    return "을" if 0 <= last < 11172 and last % 28 else "를"


def _population(draw: Draws, disease_ko: str) -> dict[str, str]:
    ages_ko, ages_en = _CHILD_AGES if disease_ko == "소아 백혈병" else draw.choice(_ADULT_AGES)
    gender_ko, gender_en = draw.choice(_GENDERS)
    return {
        "target_age_range_kr": ages_ko,
        "target_age_range_en": ages_en,
        "target_gender_kr": gender_ko,
        "target_gender_en": gender_en,
    }


def _research_items(draw: Draws, hospital: str, multicentre: bool) -> list[dict[str, str]]:
    sites = [(hospital, _HOSPITAL_ADDRESSES[hospital])]
    if multicentre:
        sites.append(draw.choice(_OTHER_SITES))
    return [{"site_name_kr": name, "site_address_kr": address} for name, address in sites]


def demo_study(index: int, seed: int = 0) -> Raw:
    """Study `index` of the synthetic registry, CRIS-shaped; the same inputs, the same record."""
    draw = Draws(seed, index)
    disease_ko, disease_en = draw.choice(DISEASES)
    design_ko, design_en, interventional = draw.choice(_STUDY_DESIGNS)
    outcome_ko, outcome_en = draw.choice(_OUTCOMES)
    kind_ko, kind_label, kind_en = draw.choice(_INTERVENTIONS) if interventional else ("", "", "")
    size = 20 + draw.below(1980)
    registered = _EPOCH + timedelta(days=draw.below(2900))
    enrolment = registered + timedelta(days=draw.below(120))
    completed = enrolment + timedelta(days=30 * (6 + draw.below(48)))
    status_ko, status_en = draw.choice(_RECRUITMENT)
    hospital = draw.choice(HOSPITALS)
    subject = f"{kind_ko} 중재의 {outcome_ko}" if interventional else outcome_ko
    item = {
        "trial_id": demo_id(index),
        "scientific_title_kr": None if index % 5 == 0 else design_ko.format(disease_ko),
        "scientific_title_en": design_en.format(disease_en),
        "study_type_kr": "중재연구" if interventional else "관찰연구",
        "phase_kr": None,
        "phase_en": draw.choice(_TRIAL_PHASES) if interventional else "Not applicable",
        "i_freetext_kr": kind_label or None,
        "date_registration": registered.isoformat(),
        "date_updated": (registered + timedelta(days=draw.below(400))).isoformat(),
        "date_enrolment": enrolment.isoformat(),
        "results_date_completed": completed.isoformat(),
        "primary_sponsor_kr": draw.choice(_SPONSORS) if interventional else hospital,
        "type_enrolment_kr": "예정" if status_ko == "대상자 모집 전" else "실제등록",
        "results_type_date_completed_kr": "실제등록" if status_ko == "연구 종료" else "예정",
    }
    detail = {
        "study_summary_kr": f"본 연구는 {disease_ko} 환자 {size}명을 대상으로 "
        f"{subject}{_object_particle(subject)} 평가한다.",
        "study_summary_en": f"This study evaluates the {outcome_en}"
        f"{f' of {kind_en}' if kind_en else ''} in {size} patients with {disease_en}.",
        "hc_code_kr": disease_ko,
        "hc_code_en": disease_en,
        "recruitment_status_kr": status_ko,
        "recruitment_status_en": status_en,
        "target_size": size,
        "affiliation_kr": hospital,
        "outcome_items": [{"primary_outcome_kr": outcome_ko, "primary_outcome_en": outcome_en}],
        # drawn last, so the fields above keep the values they had before these were added
        **_population(draw, disease_ko),
        "research_items": _research_items(draw, hospital, multicentre="다기관" in design_ko),
    }
    return {"list": item, "detail": detail, "department": _DEPARTMENT_OF[disease_ko]}


class DemoSource:
    name = "demo"
    normalizer = 2  # 2: concepts tagged (indexer.tagging)
    selection = ""  # every record of the registry
    reads_details = False  # the generated detail comes with the study

    def __init__(self, count: int = 300, seed: int = 0) -> None:
        self.count = count
        self.seed = seed
        self.reported_total: int | None = None  # a generator, not a registry: it reports nothing
        self.full_fetch = True  # every run generates every study
        self.shortfall: str | None = None

    async def fetch(self) -> AsyncIterator[Raw]:
        for index in range(1, self.count + 1):
            yield demo_study(index, self.seed)

    def identify(self, raw: Raw) -> str:
        return str(raw["list"]["trial_id"])

    def hashed_content(self, raw: Raw) -> Any:
        return parsing.canonical_flat(raw)

    async def complete(self, raw: Raw) -> Raw:
        return raw

    def reuse(self, raw: Raw, stored: Raw) -> Raw:
        return raw

    def normalize(self, raw: Raw) -> Trial:
        trial = cris.normalize_record(self.identify(raw), raw["list"], raw["detail"])
        return replace(
            trial,
            source=self.name,
            synthetic=True,
            department=raw["department"],
            content_hash=content_hash(self.hashed_content(raw)),
        )
