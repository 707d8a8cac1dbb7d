"""Registry terms → the one vocabulary of `trials.model` (PHASES, STUDY_TYPES, STATUSES,
DATE_TYPES, INTERVENTION_TYPES).
Unknown terms map to "other"/"unknown" and the raw value is always kept next to it."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from trials.model import INTERVENTION_TYPES

_PHASE_WORDS = {
    "phase 0": "early_phase_1",
    "phase 1": "phase_1",
    "phase1": "phase_1",
    "phase i": "phase_1",
    "phase 2": "phase_2",
    "phase2": "phase_2",
    "phase ii": "phase_2",
    "phase 3": "phase_3",
    "phase3": "phase_3",
    "phase iii": "phase_3",
    "phase 4": "phase_4",
    "phase4": "phase_4",
    "phase iv": "phase_4",
    "1상": "phase_1",
    "2상": "phase_2",
    "3상": "phase_3",
    "4상": "phase_4",
}
_COMBINED = {("phase_1", "phase_2"): "phase_1_2", ("phase_2", "phase_3"): "phase_2_3"}
# iCReaT puts the study model of observational studies in its phase column
_NOT_APPLICABLE = {
    "na",
    "n/a",
    "not applicable",
    "해당사항없음",
    "해당사항 없음",
    "코호트",
    "case-only",
    "case-control",
    "cross-sectional",
    "환자-대조군",
    "단면연구",
}
_STUDY_TYPES = {
    "interventional": "interventional",
    "interventional study": "interventional",
    "중재연구": "interventional",
    "observational": "observational",
    "observational study": "observational",
    "관찰연구": "observational",
    "expanded_access": "expanded_access",
    "expanded access": "expanded_access",
}
_STATUSES = {
    "not_yet_recruiting": "not_yet_recruiting",
    "not yet recruiting": "not_yet_recruiting",
    "대상자 모집 전": "not_yet_recruiting",
    "recruiting": "recruiting",
    "대상자 모집 중": "recruiting",
    "enrolling_by_invitation": "enrolling_by_invitation",
    "enrolling by invitation": "enrolling_by_invitation",
    "active_not_recruiting": "active_not_recruiting",
    "active, not recruiting": "active_not_recruiting",
    "대상자 모집 완료": "active_not_recruiting",
    "suspended": "suspended",
    "temporarily_not_available": "suspended",
    "terminated": "terminated",
    "조기종료": "terminated",
    "completed": "completed",
    "연구종료": "completed",
    "withdrawn": "withdrawn",
    "unknown": "unknown",
}


def _key(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.strip().lower())


@cache
def _phase_words() -> tuple[tuple[re.Pattern[str], str], ...]:
    """`_PHASE_WORDS` as whole-word patterns, compiled once: `phase` runs for every record."""
    return tuple((re.compile(rf"\b{re.escape(w)}\b"), v) for w, v in _PHASE_WORDS.items())


@lru_cache(maxsize=4096)  # a registry writes its phases a few dozen ways; every record has one
def phase(raw: str | None) -> str | None:
    """One phase for a raw value such as "Phase 2/Phase 3", "PHASE1, PHASE2" or "코호트"."""
    if raw is None or not raw.strip():
        return None
    key = _key(raw)
    if key in _NOT_APPLICABLE:
        return "not_applicable"
    if "early" in key:
        return "early_phase_1"
    found = sorted({value for word, value in _phase_words() if word.search(key)})
    if len(found) == 1:
        return found[0]
    if len(found) == 2:
        return _COMBINED.get((found[0], found[1]), "other")
    return "other"


def study_type(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return _STUDY_TYPES.get(_key(raw), "other")


def status(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return _STATUSES.get(_key(raw), "unknown")


_DATE_TYPES = {
    "actual": "actual",
    "실제등록": "actual",
    "estimated": "estimated",
    "anticipated": "estimated",
    "예정": "estimated",
}


def date_type(raw: str | None) -> str | None:
    """actual / estimated from ClinicalTrials.gov's ACTUAL / ESTIMATED or CRIS's 실제등록 / 예정
    (Actual / Anticipated); None when missing or unknown."""
    if raw is None or not raw.strip():
        return None
    return _DATE_TYPES.get(_key(raw))


# CRIS's intervention types as i_freetext_kr writes them: the portal's labels with their
# punctuation dropped and several types run together ("의료기구시술수술").
_CRIS_INTERVENTION_TYPES = {
    "생물학적제제백신줄기세포를제외한생물학적제제백신": "biological",
    "생물학적제제백신줄기세포": "biological",
    "생물학적제제": "biological",
    "유전적요인유전자치료": "genetic",
    "유전적요인": "genetic",
    "의약품": "drug",
    "의료기구": "device",
    "의료기기": "device",
    "시술수술": "procedure",
    "방사선": "radiation",
    "행동요인": "behavioral",
    "식이보충제": "dietary_supplement",
    "기타": "other",
}
_CRIS_TYPE_TERMS = re.compile("|".join(sorted(_CRIS_INTERVENTION_TYPES, key=len, reverse=True)))


def cris_intervention_types(raw: str | None) -> list[str]:
    """The types in a CRIS `i_freetext_kr` ("의료기구시술수술" → device, procedure), longest
    label first; text that is no known label is left to `raw`."""
    compact = re.sub(r"[\s/(),·]", "", raw or "")
    found = (_CRIS_INTERVENTION_TYPES[m] for m in _CRIS_TYPE_TERMS.findall(compact))
    return list(dict.fromkeys(found))


def ctgov_intervention_type(raw: str | None) -> str | None:
    """ClinicalTrials.gov's DRUG, DIETARY_SUPPLEMENT … lower-cased; unknown ones are "other"."""
    if raw is None or not raw.strip():
        return None
    key = _key(raw).replace(" ", "_")
    return key if key in INTERVENTION_TYPES else "other"
