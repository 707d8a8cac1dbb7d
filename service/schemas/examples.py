"""Example payloads shown in Swagger UI, shaped like real registry records."""

from __future__ import annotations

from typing import Any

KO_TITLE = "지질층 눈물막 기능장애의 건성안에서 2% Rebamipide 점안제의 눈물지질층에 대한 치료효과"
TRIAL: dict[str, Any] = {
    "id": "cris:KCT0011569",
    "source": "cris",
    "registry_id": "KCT0011569",
    "url": "https://cris.nih.go.kr/cris/search/detailSearch.do?seq=KCT0011569",
    "synthetic": False,
    "title": KO_TITLE,
    "title_ko": KO_TITLE,
    "title_en": "The therapeutic efficacy of 2% Rebamipide eye solution in tear lipid layer "
    "dysfunction of dry eye patients",
    "summary": "건성안 환자에서 2% 레바미피드 점안제가 눈물지질층 두께에 미치는 영향을 평가한다.",
    "conditions": ["건성안", "Dry eye"],
    "interventions": ["의약품: 2% Rebamipide 점안제"],
    "institution": "부산대학교병원",
    "sponsor": "부산대학교병원",
    "department": "Ophthalmology",
    "phase": "not_applicable",
    "phase_raw": "해당사항없음",
    "study_type": "interventional",
    "study_type_raw": "중재연구",
    "status": "completed",
    "status_raw": "완료",
    "scope": "single-center",
    "target_size": 60,
    "study_period": {
        "raw": "2023-05-25 ~ 2024-01-25",
        "start": "2023-05-25",
        "end": "2024-01-25",
        "months": 8,
    },
    "eligibility": {
        "min_age_years": 20,
        "max_age_years": 75,
        "ages_raw": "20 세 ~ 75 세",
        "sex": "all",
        "healthy_volunteers": False,
        "criteria": "지질층 눈물막 기능장애가 있는 건성안 환자",
    },
    "sites": [
        {
            "name": "부산대학교병원",
            "city": "부산",
            "region": "부산광역시",
            "country": "KR",
            "status": "completed",
        }
    ],
    "outcomes": [{"kind": "primary", "measure": "눈물지질층 두께 변화", "time_frame": "4주"}],
    "registered_at": "2026-02-02T15:00:00.000Z",
    "source_updated_at": "2026-02-02T15:00:00.000Z",
    "first_seen_at": "2026-02-03T18:00:04.120Z",
    "changed_at": "2026-02-03T18:00:04.120Z",
    "last_change": "created",
    "removed_at": None,
    "content_hash": "9f2c1e0b7a4d4c3e",
}

# A list item: the compact form of TRIAL (formatting.list_item)
LIST_ITEM: dict[str, Any] = {
    **{
        k: TRIAL[k]
        for k in (
            *("id", "source", "registry_id", "url", "synthetic", "title", "title_ko"),
            *("title_en", "status", "phase", "study_type", "conditions", "institution"),
        )
    },
    "eligibility": {
        "min_age_years": 20,
        "max_age_years": 75,
        "sex": "all",
        "healthy_volunteers": False,
    },
    "regions": ["부산광역시"],
    "countries": ["KR"],
    **{
        k: TRIAL[k]
        for k in (
            "registered_at",
            "source_updated_at",
            "first_seen_at",
            "changed_at",
            "last_change",
        )
    },
}

SEARCH_ITEM = {
    **LIST_ITEM,
    "score": 12.74,
    "highlight": {
        "title": [
            "지질층 눈물막 기능장애의 <em>건성안</em>에서 2% Rebamipide 점안제의 "
            "눈물지질층에 대한 치료효과"
        ]
    },
}

RECENT_ITEM = {**LIST_ITEM, "change": "created"}

# A Korean query finds an English record: q=당뇨병 finds this ClinicalTrials.gov study through
# its concept (Type 2 diabetes, 제2형 당뇨병: a 당뇨병), and the highlight says so
ENGLISH_TITLE = "A Research Study of a New Medicine NNC0519-0130 in Japanese and Non-Japanese Men"
CROSS_LINGUAL_ITEM: dict[str, Any] = {
    "id": "ctgov:NCT05870670",
    "source": "ctgov",
    "registry_id": "NCT05870670",
    "url": "https://clinicaltrials.gov/study/NCT05870670",
    "synthetic": False,
    "title": ENGLISH_TITLE,
    "title_en": ENGLISH_TITLE,
    "status": "recruiting",
    "phase": "phase_1",
    "study_type": "interventional",
    "conditions": ["Diabetes Mellitus, Type 2"],
    "institution": "Novo Nordisk A/S",
    "eligibility": {
        "min_age_years": 18.0,
        "max_age_years": 55.0,
        "sex": "male",
        "healthy_volunteers": True,
    },
    "regions": [],
    "countries": ["JP"],
    "registered_at": "2023-05-23T00:00:00.000Z",
    "source_updated_at": "2023-06-15T00:00:00.000Z",
    "first_seen_at": "2026-02-03T18:00:04.120Z",
    "changed_at": "2026-02-03T18:00:04.120Z",
    "last_change": "created",
    "score": 5.0,
    "highlight": {
        "concepts.ko": ["제2형 <em>당뇨병</em>"],
        "concepts.en": ["Type 2 <em>diabetes</em>"],
    },
}

PAGE_TAIL = {
    "total": 1,
    "total_relation": "eq",
    "offset": 0,
    "limit": 20,
    "next_cursor": None,
}

# GET /api/v1/trials?q=당뇨병 (the q example) finds English records too, found through a
# concept and ranked below the trials whose titles say 당뇨병: this page shows one
SEARCH_PAGE = {
    "items": [CROSS_LINGUAL_ITEM],
    **PAGE_TAIL,
    "facets": {
        "phase": [{"value": "phase_1", "count": 1}],
        "status": [{"value": "recruiting", "count": 1}],
        "source": [{"value": "ctgov", "count": 1}],
        "department": [],
        "region": [],
        "country": [{"value": "JP", "count": 1}],
        "sex": [{"value": "male", "count": 1}],
        "condition": [
            {"value": "type2_diabetes", "ko": "제2형 당뇨병", "en": "Type 2 diabetes", "count": 1}
        ],
    },
}

# GET /api/v1/suggest?q=당뇨
SUGGESTIONS = {
    "items": [
        {
            "text": "당뇨병",
            "kind": "condition",
            "ko": "당뇨병",
            "en": "Diabetes",
            "concept": "diabetes",
            "count": 21,
        },
        {
            "text": "제2형 당뇨병",
            "kind": "condition",
            "ko": "제2형 당뇨병",
            "en": "Type 2 diabetes",
            "concept": "type2_diabetes",
            "count": 11,
        },
    ]
}

RECENT_PAGE = {"items": [RECENT_ITEM], **PAGE_TAIL}

SYNC_RUN = {
    "run_id": "cris-20260203T180000Z-4f1a",
    "source": "cris",
    "trigger": "schedule",
    "status": "completed",
    "full": False,
    "started_at": "2026-02-03T18:00:00Z",
    "heartbeat_at": "2026-02-03T18:01:12Z",
    "finished_at": "2026-02-03T18:01:15Z",
    "duration_ms": 75012,
    "host": "trials-indexer-1",
    "pid": 4121,
    "message": "379 fetched, 2 created, 1 updated",
    "counts": {
        "fetched": 379,
        "created": 2,
        "updated": 1,
        "unchanged": 376,
        "renormalized": 0,
        "stale": 0,
        "rejected": 0,
        "failed": 0,
        "removed": 0,
        "restored": 0,
    },
    "created_ids": ["cris:KCT0011569", "cris:KCT0011568"],
    "updated_ids": ["cris:KCT0011567"],
    "removed_ids": [],
    "errors": [],
}

SYNC_RUN_PAGE = {
    "items": [SYNC_RUN],
    "total": 42,
    "total_relation": "eq",
    "offset": 0,
    "limit": 1,
    # Opaque: signed JSON naming the snapshot and the last run served (shortened here).
    "next_cursor": "eyJ2IjoxLCJrIjoic3luYy1ydW5zIiwicCI6Ii4uLiJ9.Vq3lDx0cOLoh1ZtB0c2wX9kTqz8",
}
