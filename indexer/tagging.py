"""Concept tagging of a normalised trial: the vocabulary concepts (`trials.concepts`) its
conditions, titles, keywords and interventions mention, in Korean or English, plus, for
ClinicalTrials.gov, the concepts of the MeSH headings the registry derived for its conditions.

The trial gets `concepts` (id with the Korean and English preferred names, so both languages'
labels are searchable whatever language the record is in) and `concept_ancestors` (every
broader concept's id, for queries about a broader topic). Pure: the same trial always gets
the same tags in the same order, so the document hash only changes when the tags do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trials.concepts.matcher import Matcher, matcher
from trials.concepts.vocabulary import Vocabulary, load
from trials.model import Concept, Trial

# Bump when what is tagged changes (fields read, rules), so the sources' normaliser versions
# can follow and stored documents are tagged again.
RULES = 1


def tag(trial: Trial, vocabulary: Vocabulary | None = None, found: Matcher | None = None) -> Trial:
    """`trial` with `concepts` and `concept_ancestors` set (in place; returned for chaining)."""
    vocabulary = vocabulary or load()
    ids = concept_ids(trial, found or matcher(), vocabulary)
    trial.concepts = [_labelled(vocabulary, concept_id) for concept_id in ids]
    trial.concept_ancestors = ancestors(vocabulary, ids)
    return trial


def concept_ids(trial: Trial, found: Matcher, vocabulary: Vocabulary) -> list[str]:
    """Distinct concepts, in order of first mention: texts first, then MeSH headings."""
    ids: dict[str, None] = {}
    # each text once: a title repeats in title_ko / title_en, and a repeat adds no concept
    for text in dict.fromkeys(titles(trial)):
        ids.update(dict.fromkeys(found.concept_ids(text)))
    for name in dict.fromkeys(names(trial)):
        ids.update(dict.fromkeys(found.remembered_concept_ids(name)))
    for term in mesh_terms(trial):
        ids.update(dict.fromkeys(vocabulary.by_mesh(term)))
    return list(ids)


def titles(trial: Trial) -> Iterator[str]:
    """The titles, as read (the title repeats in title_ko or title_en)."""
    for text in (trial.title, trial.title_ko, trial.title_en, trial.official_title):
        if text:
            yield text


def names(trial: Trial) -> Iterator[str]:
    """What the trial names, read after its titles: conditions, keywords, interventions. A
    registry repeats these across its records ("Breast Cancer", "Placebo")."""
    for values in (trial.conditions, trial.keywords, trial.interventions):
        yield from (v for v in values if v)


def mesh_terms(trial: Trial) -> list[str]:
    """ClinicalTrials.gov's MeSH headings for the conditions (`derivedSection`); none for the
    other registries."""
    if trial.source != "ctgov":
        return []
    meshes = _dig(trial.raw, "derivedSection", "conditionBrowseModule", "meshes")
    if not isinstance(meshes, list):
        return []
    terms = (m.get("term") for m in meshes if isinstance(m, dict))
    return [t for t in terms if isinstance(t, str) and t]


def ancestors(vocabulary: Vocabulary, ids: list[str]) -> list[str]:
    """Every broader concept of `ids`, each once, sorted (a set: its order means nothing)."""
    return sorted({a for concept_id in ids for a in vocabulary.ancestors(concept_id)})


def _labelled(vocabulary: Vocabulary, concept_id: str) -> Concept:
    concept = vocabulary.get(concept_id)
    return Concept(id=concept_id, ko=concept.ko.preferred, en=concept.en.preferred)


def _dig(value: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
