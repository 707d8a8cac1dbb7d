"""Cross-lingual query expansion: the vocabulary concepts a query mentions (`trials.concepts`,
longest match, particles and attached nouns tolerated: 폐암의, 폐암환자) also find the trials
tagged with them at index time, whatever language the trial is written in, so 폐암 finds
"Lung Cancer" and "dementia" finds 치매.

How it scores, and why:
- a trial the words of the query find is found as before; one they miss is found when it
  carries every concept the query mentions (itself or a narrower one: 폐암 finds NSCLC);
- a trial that carries them all gains `CONCEPT_BOOST` for each concept. A constant, not
  BM25, so a frequent concept weighs as much as a rare one, and a trial found only through
  a concept ranks under the trials whose titles say the words, while among the trials the
  words find, those about the concept rise above those the words merely brush (폐 암 typed
  apart matches any cancer trial that mentions 폐 somewhere; 폐암 → 폐경 … 유방암). A broad
  concept (암) lifts every cancer trial alike, so the trials that say 암 themselves stay
  first;
- the concepts' clause is one more leaf of the search's flat sum (`concepts_clause`), which
  the node can bound, so it skips the hits that cannot reach a page.

Pure: a query in, query clauses out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trials.concepts.matcher import matcher
from trials.concepts.vocabulary import Lang, load

# Set against the words' sum over three weighted fields in two languages (service.search)
CONCEPT_BOOST = 30.0
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

    def labels(self, lang: Lang) -> tuple[str, ...]:
        """The concepts' labels in `lang`, as tagging stores them (their preferred names)."""
        vocabulary = load()
        return tuple(vocabulary.get(c).names(lang).preferred for c in self.ids)


NO_EXPANSION = Expansion()


def expansion_of(q: str) -> Expansion:
    return Expansion(tuple(matcher().concept_ids(q)))


def concepts_clause(expansion: Expansion) -> dict[str, Any]:
    """The trials carrying every concept (or a narrower one of each), with a constant per
    concept: what the concepts add to the words' sum, and the trials they find."""
    weight = CONCEPT_BOOST * len(expansion.ids)
    return {"constant_score": {"filter": expansion.carries_all(), "boost": weight}}


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
