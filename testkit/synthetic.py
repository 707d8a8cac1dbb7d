"""Generated iCReaT-shaped records for the fake registry of tests and benchmarks (never the
product's: the demo source generates CRIS-shaped studies, `indexer.sources.demo`).

Record i is built from (seed, i) alone with the demo's draws, so a benchmark can serve any slice
of a large generated registry without holding it in memory.
"""

from __future__ import annotations

from indexer.sources.base import Raw
from indexer.sources.demo import DISEASES, HOSPITALS, Draws, demo_id

_DESIGNS = [
    ("{}에 대한 다기관 코호트 연구", "A Multicenter Cohort Study of {}"),
    ("{} 환자에서 신약의 유효성 및 안전성 평가", "Efficacy and Safety of a New Drug in {}"),
    ("{} 레지스트리 구축 및 운영", "Building and Running a {} Registry"),
    ("{}의 예후 인자 분석", "Prognostic Factors in {}"),
]
_DEPARTMENTS = ["Oncology", "Cardiology", "Pediatrics", "Endocrinology", "Neurology", "Others"]
_PHASES = ["코호트", "Case-control", "Phase 1", "Phase 2", "Phase 3", "Phase 4", "Other", ""]
_TYPES = ["관찰연구", "중재연구", "기타"]
_SCOPES = ["국내다기관", "단일기관"]
_PERIODS = ["3년", "36개월", "12개월", "5년", "", "2년"]


def demo_record(index: int, seed: int = 0) -> Raw:
    """Task `index` of the synthetic iCReaT registry; the same inputs always give the same
    record, in any process."""
    draw = Draws(seed, index)
    disease_ko, disease_en = draw.choice(DISEASES)
    design_ko, design_en = draw.choice(_DESIGNS)
    korean = index % 2 == 0
    return {
        "과제명": design_ko.format(disease_ko) if korean else design_en.format(disease_en),
        "과제번호": demo_id(index),
        "연구기간": draw.choice(_PERIODS),
        "연구범위": draw.choice(_SCOPES),
        "연구종류": draw.choice(_TYPES),
        "연구책임기관": draw.choice(HOSPITALS),
        "임상시험단계(연구모형)": draw.choice(_PHASES),
        "전체목표연구대상자수": str(10 + draw.below(4990)) if draw.below(10) else "",
        "진료과": draw.choice(_DEPARTMENTS),
    }
