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
    on_topic, off_topic = widened(TEXT, expansion_of("폐암"))["bool"]["should"]
    found = on_topic["bool"]["must"][0]["bool"]["should"]
    assert found[0] == TEXT  # what the words find, as before …
    tagged = found[1]["bool"]["filter"][0]["bool"]["should"]  # … or the concept's trials
    assert tagged == [
        {"term": {"concepts.id": "lung_cancer"}},
        {"term": {"concept_ancestors": "lung_cancer"}},
    ]
    (weights,) = on_topic["bool"]["should"]
    boosts = [q["constant_score"]["boost"] for q in weights["dis_max"]["queries"]]
    assert boosts == [CONCEPT_BOOST, ANCESTOR_BOOST]
    carries_any = {"bool": {"should": [{"bool": {"should": tagged, "minimum_should_match": 1}}]}}
    carries_any["bool"]["minimum_should_match"] = 1
    assert on_topic["bool"]["filter"] == [carries_any]  # trials with a concept …
    # … and the rest the words find, at OFF_TOPIC of their score: the two never overlap
    assert off_topic == {"bool": {"must": [TEXT], "must_not": [carries_any], "boost": OFF_TOPIC}}


def test_labels_mark_the_concept_in_both_languages() -> None:
    expansion = expansion_of("중풍")  # a synonym: its label is 뇌졸중 / Stroke
    assert label_highlight(expansion, "ko") == [{"match_phrase": {"concepts.ko": "뇌졸중"}}]
    assert label_highlight(expansion, "en") == [{"match_phrase": {"concepts.en": "Stroke"}}]
