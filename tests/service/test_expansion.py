"""The expansion's query clauses, pure: what a query's concepts add, and nothing without them."""

from __future__ import annotations

from service.expansion import (
    CONCEPT_BOOST,
    concepts_clause,
    expansion_of,
    label_highlight,
)
from service.search import SearchParams, search_body, text_query


def test_concepts_are_read_with_particles_and_attached_nouns() -> None:
    assert expansion_of("폐암환자의").ids == ("lung_cancer",)
    assert expansion_of("당뇨병 환자의 운동").ids == ("diabetes", "exercise")
    assert expansion_of("KCT0011569").ids == ()


def test_without_concepts_the_text_query_is_left_alone() -> None:
    assert not expansion_of("임상시험")
    assert len(text_query("임상시험", expansion_of("임상시험"))["bool"]["should"]) == 2
    assert search_body(SearchParams(q="폐암", expand=False))["query"]["bool"]["must"] == [
        text_query("폐암")
    ]


def test_a_concept_finds_its_trials_and_scores_them_in_the_flat_sum() -> None:
    expansion = expansion_of("폐암")
    *_, concepts = text_query("폐암", expansion)["bool"]["should"]  # after words, registry id
    assert concepts == concepts_clause(expansion)
    carries = concepts["constant_score"]["filter"]  # only a trial carrying every concept …
    tagged = carries["bool"]["filter"][0]["bool"]["should"]  # (itself or a narrower one)
    assert tagged == [
        {"term": {"concepts.id": "lung_cancer"}},
        {"term": {"concept_ancestors": "lung_cancer"}},
    ]
    assert concepts["constant_score"]["boost"] == CONCEPT_BOOST  # … gains its constant
    two = expansion_of("당뇨병 환자의 운동")
    assert concepts_clause(two)["constant_score"]["boost"] == 2 * CONCEPT_BOOST


def test_labels_mark_the_concept_in_both_languages() -> None:
    expansion = expansion_of("중풍")  # a synonym: its label is 뇌졸중 / Stroke
    assert label_highlight(expansion, "ko") == [{"match_phrase": {"concepts.ko": "뇌졸중"}}]
    assert label_highlight(expansion, "en") == [{"match_phrase": {"concepts.en": "Stroke"}}]
