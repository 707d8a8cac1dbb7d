"""Cross-lingual query expansion: the vocabulary concepts a query mentions (`trials.concepts`,
longest match, particles and attached nouns tolerated: 폐암의, 폐암환자) also find the trials
tagged with them at index time, whatever language the trial is written in, so 폐암 finds
"Lung Cancer" and "dementia" finds 치매.

How it scores, and why:
- a trial the words of the query find is found as before; one they miss is found when it
  carries every concept the query mentions (itself or a narrower one: 폐암 finds NSCLC);
- each concept adds a constant: `CONCEPT_BOOST` when the trial is tagged with it, the smaller
  `ANCESTOR_BOOST` when only with a narrower concept. Constants, not BM25, so a frequent
  concept weighs as much as a rare one, and both stay below what a title match scores: a
  trial found only through a concept ranks under the trials whose titles say the words, and
  among trials the words find, those tagged with the concept rise above those the words
  merely brush (폐암 → 폐경 … 유방암). A broad concept (암) lifts its narrower ones by the
  ancestor constant only, so they never bury the trials that say 암 themselves;
- a trial the words find that carries none of the concepts keeps `OFF_TOPIC` of its score:
  the words are there, the topic is not (폐 암 typed apart matches any cancer trial that
  mentions 폐 somewhere), so it falls below the trials about the concept.

Pure: a query in, query clauses out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trials.concepts.matcher import matcher
from trials.concepts.vocabulary import Lang, load

CONCEPT_BOOST = 10.0
ANCESTOR_BOOST = 5.0
OFF_TOPIC = 0.05
# Where the labels of a trial's concepts are stored, per language
LABEL_FIELDS: dict[Lang, str] = {"ko": "concepts.ko", "en": "concepts.en"}


@dataclass(frozen=True)
class Expansion:
    """The concepts a query mentions, in order of mention."""

    ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.ids)

    def carries_all(self) -> dict[str, Any]:
        """A trial tagged with every concept (or with a narrower concept of each)."""
        return {"bool": {"filter": [_tagged(concept_id) for concept_id in self.ids]}}

    def carries_any(self) -> dict[str, Any]:
        """A trial tagged with at least one of the concepts (or a narrower one)."""
        return {"bool": {"should": [_tagged(c) for c in self.ids], "minimum_should_match": 1}}

    def scoring(self) -> list[dict[str, Any]]:
        """Per concept: the concept constant, or the ancestor constant, whichever applies."""
        return [_weighed(concept_id) for concept_id in self.ids]

    def labels(self, lang: Lang) -> tuple[str, ...]:
        """The concepts' labels in `lang`, as tagging stores them (their preferred names)."""
        vocabulary = load()
        return tuple(vocabulary.get(c).names(lang).preferred for c in self.ids)


NO_EXPANSION = Expansion()


def expansion_of(q: str) -> Expansion:
    return Expansion(tuple(matcher().concept_ids(q)))


def widened(text_query: dict[str, Any], expansion: Expansion) -> dict[str, Any]:
    """`text_query`, or the trials carrying the concepts, scored by the text query plus the
    concept constants; a trial carrying none of them keeps `OFF_TOPIC` of the text's score.
    Without concepts, `text_query` unchanged.

    The two kinds of trial are two disjoint clauses of one `bool`, each with its own score,
    rather than a `boosting` query (which scores the same): a `boosting` query gives the node
    no upper bound of its scores, so every match was scored; a `bool` lets the node skip the
    blocks of hits that cannot reach the page."""
    if not expansion:
        return text_query
    carries_any = expansion.carries_any()
    found = {"bool": {"should": [text_query, expansion.carries_all()], "minimum_should_match": 1}}
    on_topic = {"bool": {"must": [found], "should": expansion.scoring(), "filter": [carries_any]}}
    off_topic = {"bool": {"must": [text_query], "must_not": [carries_any], "boost": OFF_TOPIC}}
    return {"bool": {"should": [on_topic, off_topic], "minimum_should_match": 1}}


def label_highlight(expansion: Expansion, lang: Lang) -> list[dict[str, Any]]:
    """What marks a concept's label in a hit's `concepts.<lang>`: the label as a phrase."""
    name = LABEL_FIELDS[lang]
    return [{"match_phrase": {name: label}} for label in expansion.labels(lang)]


def _tagged(concept_id: str) -> dict[str, Any]:
    return {
        "bool": {
            "should": [
                {"term": {"concepts.id": concept_id}},
                {"term": {"concept_ancestors": concept_id}},
            ],
            "minimum_should_match": 1,
        }
    }


def _weighed(concept_id: str) -> dict[str, Any]:
    return {
        "dis_max": {
            "queries": [
                _constant({"term": {"concepts.id": concept_id}}, CONCEPT_BOOST),
                _constant({"term": {"concept_ancestors": concept_id}}, ANCESTOR_BOOST),
            ]
        }
    }


def _constant(query: dict[str, Any], boost: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": boost}}
