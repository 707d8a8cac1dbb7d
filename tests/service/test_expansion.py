"""The expansion's query clauses, pure: what a query's concepts add, and nothing without them."""

from __future__ import annotations

from service.expansion import (
    ANCESTOR_BOOST,
    CONCEPT_BOOST,
    OFF_TOPIC,
    expansion_of,
    label_highlight,
    widened,
)
from service.search import SearchParams, search_body, text_query

TEXT = {"match": {"title": "x"}}


def test_concepts_are_read_with_particles_and_attached_nouns() -> None:
    assert expansion_of("폐암환자의").ids == ("lung_cancer",)
    assert expansion_of("당뇨병 환자의 운동").ids == ("diabetes", "exercise")
    assert expansion_of("KCT0011569").ids == ()


def test_without_concepts_the_text_query_is_left_alone() -> None:
    assert widened(TEXT, expansion_of("임상시험")) == TEXT
    assert search_body(SearchParams(q="폐암", expand=False))["query"]["bool"]["must"] == [
        text_query("폐암")
    ]


def test_a_concept_finds_its_trials_scores_them_and_demotes_the_rest() -> None:
    boosting = widened(TEXT, expansion_of("폐암"))["boosting"]
    found = boosting["positive"]["bool"]["must"][0]["bool"]["should"]
    assert found[0] == TEXT  # what the words find, as before …
    tagged = found[1]["bool"]["filter"][0]["bool"]["should"]  # … or the concept's trials
    assert tagged == [
        {"term": {"concepts.id": "lung_cancer"}},
        {"term": {"concept_ancestors": "lung_cancer"}},
    ]
    (weights,) = boosting["positive"]["bool"]["should"]
    boosts = [q["constant_score"]["boost"] for q in weights["dis_max"]["queries"]]
    assert boosts == [CONCEPT_BOOST, ANCESTOR_BOOST]
    assert boosting["negative_boost"] == OFF_TOPIC
    assert boosting["negative"]["bool"]["must_not"][0]["bool"]["should"] == [
        {"bool": {"should": tagged, "minimum_should_match": 1}}
    ]


def test_labels_mark_the_concept_in_both_languages() -> None:
    expansion = expansion_of("중풍")  # a synonym: its label is 뇌졸중 / Stroke
    assert label_highlight(expansion, "ko") == [{"match_phrase": {"concepts.ko": "뇌졸중"}}]
    assert label_highlight(expansion, "en") == [{"match_phrase": {"concepts.en": "Stroke"}}]
