"""Generated trial documents shaped like the real registry records (mappings/trials.json),
deterministic for a given count, with Korean and English text for the analysers to chew on."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

CONDITIONS = (
    "당뇨병",
    "고혈압",
    "위암",
    "유방암",
    "천식",
    "우울증",
    "치매",
    "골다공증",
    "건성안",
    "코로나19",
    "만성 신장병",
    "류마티스 관절염",
    "아토피 피부염",
    "뇌졸중",
)
CONDITIONS_EN = (
    "diabetes",
    "hypertension",
    "gastric cancer",
    "breast cancer",
    "asthma",
    "depression",
    "dementia",
    "osteoporosis",
    "dry eye",
    "COVID-19",
    "chronic kidney disease",
    "rheumatoid arthritis",
    "atopic dermatitis",
    "stroke",
)
INTERVENTIONS = (
    "경구 치료제",
    "점안제",
    "흡입기",
    "인지행동치료",
    "운동 프로그램",
    "백신",
    "식이보충제",
    "표적항암제",
    "디지털 치료기기",
    "침 치료",
)
INSTITUTIONS = (
    "서울아산병원",
    "삼성서울병원",
    "서울대학교병원",
    "세브란스병원",
    "부산대학교병원",
    "가톨릭대 서울성모병원",
    "경북대학교병원",
    "전남대학교병원",
    "분당서울대학교병원",
)
DEPARTMENTS = (
    "Endocrinology",
    "Cardiology",
    "Oncology",
    "Pulmonology",
    "Psychiatry",
    "Neurology",
    "Ophthalmology",
    "Pediatrics",
    "Rheumatology",
    "Dermatology",
)
# Where the sites are: name, city, 시/도, and the city's centre (as ClinicalTrials.gov records it)
SITES = (
    ("서울아산병원", "서울", "서울특별시", 37.566, 126.9784),
    ("삼성서울병원", "서울", "서울특별시", 37.566, 126.9784),
    ("서울대학교병원", "서울", "서울특별시", 37.566, 126.9784),
    ("세브란스병원", "서울", "서울특별시", 37.566, 126.9784),
    ("분당서울대학교병원", "성남", "경기도", 37.43861, 127.13778),
    ("부산대학교병원", "부산", "부산광역시", 35.10278, 129.04028),
    ("경북대학교병원", "대구", "대구광역시", 35.87028, 128.59111),
    ("전남대학교병원", "광주", "광주광역시", 35.15472, 126.91556),
    ("충남대학교병원", "대전", "대전광역시", 36.32139, 127.41972),
    ("인하대학교병원", "인천", "인천광역시", 37.45646, 126.70515),
)
MIN_AGES = (None, 18, 19, 19, 20, 40)
MAX_AGES = (None, None, 65, 70, 75, 80)
AIMS = ("유효성과 안전성", "장기 추적 관찰", "삶의 질 개선 효과", "혈중 농도 변화", "재발률")
DESIGNS = ("무작위배정 이중 눈가림", "단일군 공개", "다기관 관찰", "전향적 코호트")
# The registries' own id formats (KCT0011569, C130010, NCT05923281), as users ask for them
SOURCES = (("cris", "KCT", 7), ("icreat", "C", 6), ("ctgov", "NCT", 8))
PHASES = ("phase_1", "phase_2", "phase_3", "phase_4", "not_applicable")
STATUSES = ("recruiting", "completed", "not_yet_recruiting", "active_not_recruiting")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def eligibility(rng: random.Random, condition: int) -> dict[str, Any]:
    """Ages in years (an open bound left out, as stored); 유방암 trials take women."""
    sex = (
        "female" if CONDITIONS[condition] == "유방암" else rng.choice(("all", "all", "all", "male"))
    )
    ages = {"min_age_years": rng.choice(MIN_AGES), "max_age_years": rng.choice(MAX_AGES)}
    return {
        **{k: v for k, v in ages.items() if v is not None},
        "sex": sex,
        "healthy_volunteers": rng.random() < 0.2,
        "criteria": f"{CONDITIONS[condition]}으로 진단받은 성인. Adults diagnosed with "
        f"{CONDITIONS_EN[condition]}.",
    }


def sites(rng: random.Random, institution: str) -> list[dict[str, Any]]:
    """The lead institution's site, when it is one of SITES, and up to two more."""
    chosen = [s for s in SITES if s[0] == institution] + rng.sample(SITES, rng.randrange(3))
    unique = {s[0]: s for s in chosen}.values()
    return [
        {
            "name": name,
            "city": city,
            "region": region,
            "country": "KR",
            "status": "recruiting",
            "geo": {"lat": lat, "lon": lon},
        }
        for name, city, region, lat, lon in unique
    ]


def document(n: int) -> dict[str, Any]:
    rng = random.Random(n)
    source, prefix, digits = SOURCES[n % len(SOURCES)]
    registry_id = f"{prefix}{n:0{digits}d}"
    c = rng.randrange(len(CONDITIONS))
    intervention, institution = rng.choice(INTERVENTIONS), rng.choice(INSTITUTIONS)
    title = (
        f"{CONDITIONS[c]} 환자에서 {intervention}의 {rng.choice(AIMS)} 평가를 위한 "
        f"{rng.choice(DESIGNS)} 임상시험"
    )
    title_en = f"Efficacy of {intervention} in patients with {CONDITIONS_EN[c]} (study {n})"
    first_seen = EPOCH - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    changed = first_seen + timedelta(minutes=rng.randrange(90 * 24 * 60))
    return {
        "id": f"{source}:{registry_id}",
        "source": source,
        "registry_id": registry_id,
        "url": f"https://example.invalid/{registry_id}",
        "synthetic": True,
        "title": title,
        "title_ko": title,
        "title_en": title_en,
        "summary": (
            f"{institution}에서 {CONDITIONS[c]}을(를) 앓는 성인을 대상으로 "
            f"{intervention}을 투여하고 12주 동안 {rng.choice(AIMS)}을 평가한다. "
            f"This study evaluates {intervention} in {CONDITIONS_EN[c]}."
        ),
        "conditions": [CONDITIONS[c], CONDITIONS_EN[c]],
        "interventions": [intervention],
        "institution": institution,
        "sponsor": institution,
        "department": rng.choice(DEPARTMENTS),
        "phase": rng.choice(PHASES),
        "phase_raw": "",
        "study_type": rng.choice(("interventional", "observational")),
        "study_type_raw": "",
        "status": rng.choice(STATUSES),
        "status_raw": "",
        "scope": "multi-center",
        "target_size": rng.randrange(20, 2000),
        "study_period": {"raw": "2년", "start": None, "end": None, "months": 24},
        "eligibility": eligibility(rng, c),
        "sites": sites(rng, institution),
        "registered_at": _iso(first_seen - timedelta(days=rng.randrange(1, 60))),
        "source_updated_at": _iso(changed),
        "first_seen_at": _iso(first_seen),
        "changed_at": _iso(changed),
        "removed_at": None,
        "content_hash": hashlib.sha256(title_en.encode()).hexdigest()[:16],
        "last_run_id": "bench",
        "raw": {"trial_id": registry_id},
    }


def documents(count: int) -> Iterator[dict[str, Any]]:
    return (document(n) for n in range(count))


QUERIES = (
    "당뇨병",
    "고혈압 환자의 운동 프로그램",
    "유방암 표적항암제",
    "치매",
    "서울아산병원",
    "우울증에 대한 인지행동치료",
    "asthma inhaler",
    "dry eye",
    "코로나19 백신",
    "만성 신장병",
    "류마티스 관절염의 장기 추적",
    "breast cancer",
)
