"""Synthetic trials for a machine without registry keys: deterministic, in Korean and English,
shaped like iCReaT records, marked `synthetic`, with ids (`DEMO-000123`) no registry uses.

`demo_record(i)` builds record i on its own, so a benchmark can serve any slice of a large
generated registry without holding it in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, TypeVar

from indexer.sources import icreat, parsing
from indexer.sources.base import Raw
from trials.model import Trial

T = TypeVar("T")

_DISEASES = [
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
_DESIGNS = [
    ("{}에 대한 다기관 코호트 연구", "A Multicenter Cohort Study of {}"),
    ("{} 환자에서 신약의 유효성 및 안전성 평가", "Efficacy and Safety of a New Drug in {}"),
    ("{} 레지스트리 구축 및 운영", "Building and Running a {} Registry"),
    ("{}의 예후 인자 분석", "Prognostic Factors in {}"),
]
_DEPARTMENTS = ["Oncology", "Cardiology", "Pediatrics", "Endocrinology", "Neurology", "Others"]
_HOSPITALS = [
    "서울대학교병원",
    "서울아산병원",
    "삼성서울병원",
    "세브란스병원",
    "가톨릭대 서울성모병원",
]
_PHASES = ["코호트", "Case-control", "Phase 1", "Phase 2", "Phase 3", "Phase 4", "Other", ""]
_TYPES = ["관찰연구", "중재연구", "기타"]
_SCOPES = ["국내다기관", "단일기관"]
_PERIODS = ["3년", "36개월", "12개월", "5년", "", "2년"]


def demo_id(index: int) -> str:
    return f"DEMO-{index:06d}"


class _Draws:
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


def demo_record(index: int, seed: int = 0) -> Raw:
    """Record `index` of the synthetic registry; the same inputs always give the same record."""
    draw = _Draws(seed, index)
    disease_ko, disease_en = draw.choice(_DISEASES)
    design_ko, design_en = draw.choice(_DESIGNS)
    korean = index % 2 == 0
    return {
        "과제명": design_ko.format(disease_ko) if korean else design_en.format(disease_en),
        "과제번호": demo_id(index),
        "연구기간": draw.choice(_PERIODS),
        "연구범위": draw.choice(_SCOPES),
        "연구종류": draw.choice(_TYPES),
        "연구책임기관": draw.choice(_HOSPITALS),
        "임상시험단계(연구모형)": draw.choice(_PHASES),
        "전체목표연구대상자수": str(10 + draw.below(4990)) if draw.below(10) else "",
        "진료과": draw.choice(_DEPARTMENTS),
    }


class DemoSource:
    name = "demo"

    def __init__(self, count: int = 300, seed: int = 0) -> None:
        self.count = count
        self.seed = seed

    async def fetch(self) -> AsyncIterator[Raw]:
        for index in range(1, self.count + 1):
            yield demo_record(index, self.seed)

    def identify(self, raw: Raw) -> str:
        return icreat.identify(raw)

    def hashed_content(self, raw: Raw) -> Any:
        return parsing.canonical_flat(raw)

    async def complete(self, raw: Raw) -> Raw:
        return raw

    def normalize(self, raw: Raw) -> Trial:
        return icreat.normalize(self.name, raw, synthetic=True)
