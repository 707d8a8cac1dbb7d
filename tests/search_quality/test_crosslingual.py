"""Cross-lingual search through the API over the recorded records: a Korean query finds the
English records and says why (highlights, the condition facet), precision holds (폐암 ranks
lung cancer above breast cancer; 암 does not bury the trials that say 암), filters combine."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]

# Read in the records: every lung cancer trial, and every breast cancer trial
LUNG_CANCER = {
    "icreat:C160036",  # 진행성 비소세포폐암환자 … 조기 완화의료
    "cris:KCT0011405",  # 확장기 소세포폐암 … Lurbinectedin
    "cris:KCT0011345",  # 폐암 수술 후 급성신손상
    "ctgov:NCT05879978",  # Small Cell Lung Carcinoma
    "ctgov:NCT05826366",  # Carcinoma, Non-Small-Cell Lung
}
BREAST_CANCER = {
    "ctgov:NCT02663973",
    *(f"cris:KCT00{n}" for n in ("11561", "11485", "11437", "11389", "11384", "11372", "11300")),
}

# 암 not inside another Hangul word (유방암 says breast cancer; 암환자 and 암 환자 say 암)
SAYS_CANCER = re.compile("(?<![가-힣])암")


async def search(api: Client, query: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/trials?{query}")
    assert response.status == 200, await response.text()
    return dict(await response.json())


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


async def test_a_korean_query_finds_english_records_and_says_why(api: Client) -> None:
    body = await search(api, "q=폐암&source=ctgov")
    assert set(ids(body)) == {"ctgov:NCT05879978", "ctgov:NCT05826366"}
    for item in body["items"]:  # the concept that matched: 폐암, or 비소세포<em>폐암</em>
        assert any("<em>폐암</em>" in f for f in item["highlight"]["concepts.ko"]), item["id"]
    condition = {b["value"]: b for b in body["facets"]["condition"]}
    assert condition["lung_cancer"] == {
        "value": "lung_cancer",
        "ko": "폐암",
        "en": "Lung cancer",
        "count": 1,  # NCT05879978; NCT05826366 is tagged NSCLC, a narrower concept
    }
    assert condition["nsclc"]["ko"] == "비소세포폐암"


async def test_an_english_query_finds_korean_records(api: Client) -> None:
    body = await search(api, "q=dementia&source=icreat")
    assert set(ids(body)) >= {"icreat:C160028", "icreat:C160039", "icreat:C160027"}
    marked = {m for item in body["items"] for m in item["highlight"].get("concepts.en", [])}
    assert "<em>Dementia</em>" in marked


async def test_synonyms_and_particles_reach_the_concept(api: Client) -> None:
    for q in ("폐암환자", "폐암의", "lung carcinoma", "NSCLC"):
        found = set(ids(await search(api, f"q={q}&source=ctgov")))
        assert "ctgov:NCT05826366" in found, q


@pytest.mark.parametrize("q", ["폐암", "폐 암", "폐암 환자", "lung cancer"])
async def test_lung_cancer_ranks_above_breast_cancer(api: Client, q: str) -> None:
    ranked = ids(await search(api, f"q={q}&limit=100"))
    lung = [ranked.index(i) for i in LUNG_CANCER if i in ranked]
    breast = [ranked.index(i) for i in BREAST_CANCER if i in ranked]
    assert len(lung) == len(LUNG_CANCER)  # every lung cancer trial is found
    assert not breast or max(lung) < min(breast)


async def test_a_broad_query_keeps_the_trials_that_say_it_first(api: Client) -> None:
    """암 (cancer) also finds every narrower cancer through the vocabulary (English leukaemia
    trials, and 폐암 or 위암, which the analyser keeps whole); the trials whose titles say 암
    as a word of its own (암 환자, 암환자, 주요 암 수술) still come first."""
    body = await search(api, "q=암&limit=100&sort=relevance")
    items = body["items"]
    says = [n for n, item in enumerate(items) if SAYS_CANCER.search(item["title"])]
    through_concept = [n for n, item in enumerate(items) if item["source"] == "ctgov"]
    assert says
    assert through_concept  # the English cancer trials are found too …
    assert max(says) < min(through_concept)  # … below every trial that says 암


async def test_filters_combine_with_the_concepts(api: Client) -> None:
    every = set(ids(await search(api, "q=백혈병&limit=100")))
    assert len(every) > 40  # ClinicalTrials.gov's leukaemia trials, through the concept
    phase_2 = await search(api, "q=백혈병&phase=phase_2&limit=100")
    assert 0 < phase_2["total"] < len(every)
    assert {item["phase"] for item in phase_2["items"]} == {"phase_2"}
    korean = await search(api, "q=백혈병&source=cris&source=icreat")
    assert {item["source"] for item in korean["items"]} <= {"cris", "icreat"}


async def test_the_condition_facet_leaves_interventions_out(api: Client) -> None:
    body = await search(api, "q=허리디스크 수술&limit=1")
    values = {b["value"] for b in body["facets"]["condition"]}
    assert "lumbar_disc_herniation" in values
    assert "surgery" not in values
    assert "discectomy" not in values
