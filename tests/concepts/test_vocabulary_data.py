"""The packaged vocabulary as data: both languages everywhere, sound links, no surface form
shared by unrelated concepts, every name traceable to a source."""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

import pytest

from trials.concepts import english, korean
from trials.concepts.hangul import has_hangul
from trials.concepts.vocabulary import KINDS, Vocabulary, VocabularyError, dumps, load, parse


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load()


def raw_concepts() -> list[dict[str, object]]:
    text = resources.files("trials.concepts").joinpath("vocabulary.json").read_text("utf-8")
    concepts: list[dict[str, object]] = json.loads(text)["concepts"]
    return concepts


def test_at_least_500_concepts_of_both_kinds(vocabulary: Vocabulary) -> None:
    kinds = [c.kind for c in vocabulary]
    assert len(vocabulary) >= 500
    assert set(kinds) == set(KINDS)


def test_the_file_keeps_its_reviewable_layout() -> None:
    """One line per field, so a hand edit or a backbone re-import diffs line by line."""
    text = resources.files("trials.concepts").joinpath("vocabulary.json").read_text("utf-8")
    assert dumps(json.loads(text)) == text


def test_ids_are_unique_slugs() -> None:
    ids = [str(c["id"]) for c in raw_concepts()]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i == i.lower() and " " not in i for i in ids)


def test_every_concept_is_named_in_both_languages(vocabulary: Vocabulary) -> None:
    unnamed = [c.id for c in vocabulary if not c.ko.preferred.strip() or not c.en.preferred.strip()]
    assert unnamed == []


def test_korean_forms_are_korean_and_english_forms_are_not(vocabulary: Vocabulary) -> None:
    bad_ko = [(c.id, f) for c in vocabulary for f in c.ko.forms if not has_hangul(f)]
    bad_en = [
        (c.id, f) for c in vocabulary for f in (*c.en.forms, *c.en.abbreviations) if has_hangul(f)
    ]
    assert bad_ko == []
    assert bad_en == []


def test_every_concept_has_a_known_source(vocabulary: Vocabulary) -> None:
    assert [c.id for c in vocabulary if not c.source] == []
    assert {s for c in vocabulary for s in c.source} <= {"kcd8", "curated"}
    assert [c.id for c in vocabulary if "kcd8" in c.source and not c.codes] == []


def test_broader_links_resolve_to_ancestors(vocabulary: Vocabulary) -> None:
    assert vocabulary.ancestors("nsclc")[:2] == ("lung_cancer", "cancer")
    assert "neoplasm" in vocabulary.ancestors("nsclc")
    assert "nsclc" in vocabulary.narrower("lung_cancer")
    every_parent = {p for c in vocabulary for p in c.broader}
    assert every_parent <= {c.id for c in vocabulary}


def test_a_broken_broader_link_or_a_cycle_is_refused() -> None:
    def concept(cid: str, broader: list[str]) -> dict[str, object]:
        names = {"preferred": cid}
        return {"id": cid, "kind": "condition", "ko": names, "en": names, "broader": broader}

    with pytest.raises(VocabularyError, match="not a concept"):
        parse({"concepts": [concept("a", ["missing"])]})
    with pytest.raises(VocabularyError, match="cycle"):
        parse({"concepts": [concept("a", ["b"]), concept("b", ["c"]), concept("c", ["a"])]})
    with pytest.raises(VocabularyError, match="duplicate"):
        parse({"concepts": [concept("a", []), concept("a", [])]})


def test_no_surface_form_belongs_to_two_concepts(vocabulary: Vocabulary) -> None:
    """Stricter than "unless one is an ancestor of the other": the matcher needs one concept
    per normalised form, so even a parent and its child may not share one."""
    owners: dict[tuple[str, object], set[str]] = defaultdict(set)
    for c in vocabulary:
        for form in c.ko.forms:
            owners["ko", korean.key(form)].add(c.id)
        for form in c.en.forms:
            owners["en", english.form_keys(form)].add(c.id)
        for abbreviation in (*c.en.abbreviations, *c.ko.abbreviations):
            owners["abbreviation", abbreviation].add(c.id)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_no_mesh_heading_on_two_concepts(vocabulary: Vocabulary) -> None:
    headings = {term for c in vocabulary for term in c.mesh}
    shared = [term for term in headings if len(vocabulary.by_mesh(term)) > 1]
    assert shared == []


def test_lookups_by_code_and_mesh_heading(vocabulary: Vocabulary) -> None:
    assert "lung_cancer" in vocabulary.by_code("C34")
    assert vocabulary.by_mesh("carcinoma, non-small-cell lung") == ("nsclc",)
    lung = vocabulary.get("lung_cancer")
    assert "기관지 및 폐의 악성 신생물" in lung.ko.synonyms  # the KCD title, kept as a synonym
    assert lung.ko.preferred == "폐암"
    assert "NSCLC" in vocabulary.surface_forms("nsclc", "en")
    with pytest.raises(KeyError):
        vocabulary.get("no_such_concept")
