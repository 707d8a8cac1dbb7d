"""Concept tagging: what a trial is tagged with, from which fields, in both languages, and that
a sync run stores it. The expected concepts were written down by reading the records."""

from __future__ import annotations

import copy
from typing import Any

from indexer.sink import trial_hash
from indexer.sources.ctgov import CtgovSource
from indexer.sources.icreat import normalize as icreat_normalize
from indexer.tagging import concept_ids, tag
from testkit.registry import records
from tests.indexer.conftest import Env
from trials.concepts.matcher import matcher
from trials.concepts.vocabulary import load
from trials.model import Concept, Trial


def _study(nct: str) -> dict[str, Any]:
    return next(
        s
        for s in records.ctgov_studies()
        if s["protocolSection"]["identificationModule"]["nctId"] == nct
    )


def _ctgov(study: dict[str, Any]) -> Trial:
    return CtgovSource(None, "http://x", "").normalize(study)  # type: ignore[arg-type]


def _icreat(task_id: str) -> Trial:
    raw = next(r for r in records.icreat_records() if r["과제번호"] == task_id)
    return icreat_normalize("icreat", raw)


def _bare(**fields: Any) -> Trial:
    """A CRIS trial with only `fields` (the title "Study" unless given)."""
    given: dict[str, Any] = {"title": "Study", "raw": {}, **fields}
    return Trial(source="cris", registry_id="KCT0000001", content_hash="", **given)


def _ids(trial: Trial) -> list[str]:
    return [c.id for c in trial.concepts]


def test_a_korean_title_gets_both_labels_and_the_broader_concepts() -> None:
    # iCReaT C160036: "말기 진행이 예상되는 진행성 비소세포폐암환자를 대상으로 한 … 완화의료 …"
    trial = tag(_icreat("C160036"))
    assert trial.concepts[0] == Concept(
        id="nsclc", ko="비소세포폐암", en="Non-small cell lung cancer"
    )
    assert {"lung_cancer", "cancer"} <= set(trial.concept_ancestors)
    assert "nsclc" not in trial.concept_ancestors


def test_an_english_record_is_tagged_from_its_conditions_and_mesh_headings() -> None:
    # NCT05879978: conditions "Small Cell Lung Carcinoma (SCLC)", "Neuroendocrine Neoplasms";
    # MeSH: Carcinoma, Neoplasms, Lung Neoplasms, Small Cell Lung Carcinoma, Neuroendocrine Tumors
    trial = tag(_ctgov(_study("NCT05879978")))
    assert {"sclc", "lung_cancer", "neuroendocrine_tumor"} <= set(_ids(trial))
    labels = {c.id: (c.ko, c.en) for c in trial.concepts}
    assert labels["lung_cancer"] == ("폐암", "Lung cancer")


def test_a_mesh_heading_alone_tags_a_ctgov_trial() -> None:
    study = copy.deepcopy(_study("NCT05826366"))
    study["protocolSection"]["conditionsModule"]["conditions"] = ["Study arm A"]
    study["protocolSection"]["identificationModule"]["briefTitle"] = "A post-marketing study"
    study["protocolSection"]["identificationModule"].pop("officialTitle", None)
    trial = _ctgov(study)
    assert "nsclc" not in concept_ids(
        _bare(title=trial.title, conditions=trial.conditions), matcher(), load()
    )
    assert "nsclc" in _ids(tag(trial))  # MeSH "Carcinoma, Non-Small-Cell Lung"


def test_other_registries_have_no_mesh_headings_to_read() -> None:
    mesh = {"derivedSection": {"conditionBrowseModule": {"meshes": [{"term": "Lung Neoplasms"}]}}}
    assert _ids(tag(_bare(raw=mesh))) == []


def test_each_field_is_read_in_either_language() -> None:
    assert _ids(tag(_bare(title="Effects of a program", title_en="in stroke survivors"))) == [
        "stroke"
    ]
    assert _ids(tag(_bare(official_title="당뇨병 환자에서"))) == ["diabetes"]
    assert _ids(tag(_bare(conditions=["Atopic Dermatitis"]))) == ["atopic_dermatitis"]
    assert _ids(tag(_bare(keywords=["침 치료"]))) == ["acupuncture"]
    assert _ids(tag(_bare(interventions=["Chemotherapy"]))) == ["chemotherapy"]


def test_long_texts_are_not_read() -> None:
    # a word in the description or criteria says less about what the trial is about
    trial = tag(_bare(summary="폐암", description="lung cancer"))
    assert trial.concepts == []
    assert trial.concept_ancestors == []


def test_tags_are_distinct_ordered_and_stable() -> None:
    trial = _bare(title="폐암 환자의 우울증", conditions=["Lung Cancer", "Depression"])
    first = tag(trial)
    assert _ids(first) == ["lung_cancer", "depression"]
    hashed = trial_hash(first)
    assert trial_hash(tag(first)) == hashed  # tagging again changes nothing
    assert first.concept_ancestors == sorted(first.concept_ancestors)


def test_tags_are_part_of_the_document_hash() -> None:
    untagged = _icreat("C160036")
    assert trial_hash(untagged) != trial_hash(tag(_icreat("C160036")))


async def test_a_sync_run_stores_the_concepts(env: Env) -> None:
    run = await env.run("icreat")
    assert run.status == "completed", run.message
    stored = (await env.doc("icreat:C160036"))["_source"]
    assert stored["concepts"][0] == {  # type: ignore[index]
        "id": "nsclc",
        "ko": "비소세포폐암",
        "en": "Non-small cell lung cancer",
    }
    assert {"lung_cancer", "cancer"} <= set(stored["concept_ancestors"])  # type: ignore[index]
    found = await env.es.count(
        index=env.names.trials, query={"match_phrase": {"concepts.en": "lung cancer"}}
    )
    assert found["count"] >= 1  # the English label of a Korean-only record is searchable
