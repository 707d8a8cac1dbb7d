"""Trial and sync-log documents for the service tests, following mappings/trials.json and
mappings/sync_log.json, shaped like the real records in ../shared/data/real/ (iCReaT, CRIS,
ClinicalTrials.gov). Times are relative to the moment the corpus is built, so the default
"last 7 days" window of /trials/recent has something to find."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trials.model import StudyPeriod, Trial, content_hash, utc_iso

URLS = {
    "icreat": "https://icreat.nih.go.kr/icreat/",
    "cris": "https://cris.nih.go.kr/cris/search/detailSearch.do?seq=",
    "ctgov": "https://clinicaltrials.gov/study/",
    "demo": "https://example.invalid/demo/",
}


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


SPECS = (
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
    ),
    Spec(
        "ctgov",
        "NCT05923281",
        "A Study of Once-weekly Semaglutide in Korean Adults With Type 2 Diabetes",
        20,
        5,
        title_en="A Study of Once-weekly Semaglutide in Korean Adults With Type 2 Diabetes",
        summary="This study compares glycaemic control with semaglutide and placebo.",
        conditions=("Type 2 Diabetes",),
        institution="Seoul National University Hospital",
        department="Endocrinology",
        phase="phase_3",
        status="recruiting",
        last_change="restored",  # back in its registry 5 days ago
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
    Spec(
        "cris",
        "KCT0009003",
        "고혈압 환자의 생활습관 개선 프로그램",
        90,
        90,
        summary="고혈압 환자 가운데 당뇨병을 함께 앓는 사람도 참여할 수 있다.",
        conditions=("고혈압",),
        department="Cardiology",
    ),
    Spec(
        "cris",
        "KCT0000001",
        "중단된 당뇨병 예방 연구",
        120,
        1,
        removed_days=1,
        department="Endocrinology",
    ),
)

DEMO_COUNT = 60
DEMO_TOPICS = (
    "소아 천식 흡입기",
    "위암 수술 후 회복",
    "우울증 인지행동치료",
    "골다공증 신약",
    "만성 신장병 식이",
)


def trial_doc(spec: Spec, now: datetime) -> dict[str, Any]:
    """Built through `trials.model.Trial`, the indexer's own document contract."""
    first_seen = now - timedelta(days=spec.first_seen_days)
    changed = now - timedelta(days=spec.changed_days)
    korean = any("\uac00" <= ch <= "\ud7a3" or "\u4e00" <= ch <= "\u9fff" for ch in spec.title)
    trial = Trial(
        source=spec.source,
        registry_id=spec.registry_id,
        title=spec.title,
        content_hash=content_hash({"title": spec.title, "summary": spec.summary}),
        raw={"과제번호": spec.registry_id, "과제명": spec.title},
        url=URLS[spec.source] + spec.registry_id,
        synthetic=spec.source == "demo",
        title_ko=spec.title if korean else None,
        title_en=spec.title_en or (None if korean else spec.title),
        summary=spec.summary,
        conditions=list(spec.conditions),
        institution=spec.institution,
        sponsor=spec.institution,
        department=spec.department,
        phase=spec.phase,
        phase_raw=spec.phase,
        study_type=spec.study_type,
        study_type_raw=spec.study_type,
        status=spec.status,
        status_raw=spec.status,
        scope="single-center",
        target_size=120,
        study_period=StudyPeriod(raw="3년", months=36),
        registered_at=utc_iso(first_seen - timedelta(days=10)),
        source_updated_at=utc_iso(changed),
    )
    removed = None if spec.removed_days is None else now - timedelta(days=spec.removed_days)
    never_changed = spec.changed_days == spec.first_seen_days
    return trial.document(
        first_seen_at=utc_iso(first_seen),
        changed_at=utc_iso(changed),
        run_id=f"{spec.source}-fixture",
        removed_at=None if removed is None else utc_iso(removed),
        last_change=spec.last_change or ("created" if never_changed else "updated"),
    )


def demo_specs() -> list[Spec]:
    return [
        Spec(
            "demo",
            f"DEMO{n:04d}",
            f"{DEMO_TOPICS[n % len(DEMO_TOPICS)]} 데모 연구 {n}",
            100 + n,
            100 + n / 2,
            department="Demo",
            phase=("phase_1", "phase_2", "phase_3")[n % 3],
        )
        for n in range(DEMO_COUNT)
    ]


def trial_docs(now: datetime) -> list[dict[str, Any]]:
    return [trial_doc(spec, now) for spec in (*SPECS, *demo_specs())]


def sync_run_doc(run_id: str, source: str, status: str, started: datetime) -> dict[str, Any]:
    finished = None if status == "running" else started + timedelta(minutes=2)
    return {
        "run_id": run_id,
        "source": source,
        "trigger": "schedule",
        "status": status,
        "full": False,
        "started_at": utc_iso(started),
        "heartbeat_at": utc_iso(started + timedelta(minutes=1)),
        "finished_at": None if finished is None else utc_iso(finished),
        "duration_ms": None if finished is None else 120_000,
        "host": "test-host",
        "pid": 4242,
        "message": f"{source} {status}",
        "counts": {
            "fetched": 379,
            "created": 2,
            "updated": 1,
            "unchanged": 376,
            "stale": 0,
            "rejected": 0,
            "failed": 0,
            "removed": 0,
            "restored": 0,
        },
        "created_ids": ["cris:KCT0011569"],
        "updated_ids": [],
        "removed_ids": [],
        "errors": [],
    }
