"""Trial and sync-log documents for the service tests, following mappings/trials.json and
mappings/sync_log.json, shaped like the recorded records in tests/fixtures/registries/ (iCReaT,
CRIS, ClinicalTrials.gov). Times are relative to the moment the corpus is built, so the default
"last 7 days" window of /trials/recent has something to find."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.service.named_trials import SPECS, Spec
from trials.model import Eligibility, StudyPeriod, Trial, content_hash, day_start, utc_iso

URLS = {
    "icreat": "https://icreat.nih.go.kr/icreat/",
    "cris": "https://cris.nih.go.kr/cris/search/detailSearch.do?seq=",
    "ctgov": "https://clinicaltrials.gov/study/",
    "demo": "https://example.invalid/demo/",
}


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
        official_title=spec.official_title,
        keywords=list(spec.keywords),
        description=spec.description,
        eligibility=spec.eligibility or Eligibility(),
        sites=list(spec.sites),
        outcomes=list(spec.outcomes),
        collaborators=list(spec.collaborators),
        funding=list(spec.funding),
        **registry_dates(spec, now),
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


def registry_dates(spec: Spec, now: datetime) -> dict[str, str]:
    """The registry's registration and last update, as the parsers store them: a registry's
    bare date is midnight in Seoul."""
    registered = now - timedelta(days=spec.registered_days or spec.first_seen_days + 10)
    updated = now - timedelta(days=spec.source_updated_days or spec.changed_days)
    return {
        "registered_at": day_start(spec.registered_on)
        if spec.registered_on
        else utc_iso(registered),
        "source_updated_at": day_start(spec.source_updated_on)
        if spec.source_updated_on
        else utc_iso(updated),
    }


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
