"""The service bench's generated documents (bench.service.corpus) made for cross-lingual search
and suggestions: ClinicalTrials.gov-like documents in English only, a keyword naming one of the
vocabulary's concepts (so every concept is somewhere), thousands of distinct intervention and
institution names (as 60,000 real trials give), and the concept tags the indexer gives them
(indexer.tagging, on each part once)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from typing import Any

from bench.service.corpus import document
from indexer.tagging import tag
from trials.concepts.hangul import chosung, has_hangul
from trials.concepts.vocabulary import load
from trials.model import Trial

DRUG_STEMS = ("DLT", "MCT", "KM", "JTM", "AB", "CK", "LY", "BI", "NNC", "SAR")
CITIES = ("서울", "부산", "대구", "인천", "광주", "대전", "Seoul", "Busan", "Tokyo", "Boston")
KINDS = ("대학교병원", "의료원", "Medical Center", "University Hospital", "한방병원")
# Korean queries that find English documents, English ones that find Korean, and plain ones
QUERIES = (
    "당뇨병",
    "폐암",
    "치매",
    "고혈압 환자의 운동 프로그램",
    "유방암 표적항암제",
    "우울증에 대한 인지행동치료",
    "lung cancer",
    "dementia",
    "breast cancer",
    "asthma inhaler",
    "서울아산병원",
    "dry eye",
)
# What people type into a search box, letter by letter
TYPED = (
    "당",
    "당뇨",
    "ㄷㄴㅂ",
    "ㅍㅇ",
    "폐",
    "고혈",
    "ㄱㅎㅇ",
    "diab",
    "lung",
    "car",
    "서울",
    "유방",
    "ㅇㅂㅇ",
    "DLT",
    "a",
    "치매",
)


@cache
def varied_typing() -> tuple[str, ...]:
    """Thousands of different starts of names (2 to 4 letters, and 초성), shuffled: typing
    that an answer cache rarely has yet."""
    names = [n for c in _concepts() for n in (c.ko.preferred, c.en.preferred.lower())]
    starts = {n[:k] for n in names for k in (2, 3, 4) if len(n) >= k}
    starts |= {chosung(n)[:k] for n in names if has_hangul(n) for k in (2, 3)}
    return tuple(sorted(starts, key=lambda s: hashlib.sha1(s.encode()).digest()))


def tagged_document(n: int) -> dict[str, Any]:
    doc = document(n)
    concept = _concepts()[(n * 7919) % len(_concepts())]
    doc["keywords"] = [concept.ko.preferred if n % 2 else concept.en.preferred]
    doc["interventions"] = [*doc["interventions"], f"{DRUG_STEMS[n % 10]}{n % 9973:04d}"]
    doc["institution"] = f"{CITIES[n % len(CITIES)]} {n % 3001}{KINDS[n % len(KINDS)]}"
    if doc["source"] == "ctgov":
        _english_only(doc)
    parts = (*doc["conditions"], *doc["interventions"], *doc["keywords"])
    doc["concepts"] = list({c["id"]: c for part in parts for c in _tags(part)[0]}.values())
    doc["concept_ancestors"] = sorted({a for part in parts for a in _tags(part)[1]})
    return doc


def tagged_documents(count: int) -> Iterator[dict[str, Any]]:
    return (tagged_document(n) for n in range(count))


def _english_only(doc: dict[str, Any]) -> None:
    doc["title"] = doc["title_en"]
    doc.pop("title_ko")
    doc["conditions"] = doc["conditions"][1:]
    doc["summary"] = doc["summary"].split(". ", 1)[-1]


@cache
def _concepts() -> tuple[Any, ...]:
    return tuple(load())


@cache
def _tags(text: str) -> tuple[tuple[dict[str, str], ...], tuple[str, ...]]:
    trial = tag(Trial(source="demo", registry_id="x", title=text, content_hash="", raw={}))
    concepts = tuple({"id": c.id, "ko": c.ko, "en": c.en} for c in trial.concepts)
    return concepts, tuple(trial.concept_ancestors)
