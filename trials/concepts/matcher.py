"""Finding concepts in text: every Korean and English surface form of the vocabulary, matched
longest first and without overlaps, so "non-small cell lung cancer" is NSCLC, not lung cancer,
and 폐암환자 is lung cancer. Pure and fast (a trie and a token index built once), for tagging
documents at index time and reading queries at search time; no Elasticsearch involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from trials.concepts.english import EnglishIndex
from trials.concepts.korean import KoreanIndex
from trials.concepts.vocabulary import Vocabulary, load


@dataclass(frozen=True, slots=True)
class Match:
    concept_id: str
    start: int
    end: int
    surface: str


# Texts whose concepts `remembered_concept_ids` keeps (a few MiB at most)
REMEMBERED = 8192


class Matcher:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self._korean = KoreanIndex((f, c.id) for c in vocabulary for f in c.ko.forms)
        self._english = EnglishIndex(
            ((f, c.id) for c in vocabulary for f in c.en.forms),
            ((a, c.id) for c in vocabulary for a in (*c.en.abbreviations, *c.ko.abbreviations)),
        )
        self._remembered = lru_cache(maxsize=REMEMBERED)(self._concept_id_tuple)

    def find(self, text: str) -> list[Match]:
        """Mentions in reading order; where two overlap, the longer one (then the earlier) wins."""
        return [Match(c, s, e, text[s:e]) for s, e, c in self._spans(text)]

    def concept_ids(self, text: str) -> list[str]:
        """The distinct concepts mentioned, in order of first mention."""
        return list(dict.fromkeys(c for _, _, c in self._spans(text)))

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """`find`'s mentions as (start, end, concept id): tagging needs no `Match` objects."""
        found = {*self._korean.find(text), *self._english.find(text)}
        if len(found) <= 1:
            return list(found)
        taken: list[tuple[int, int, str]] = []
        for start, end, concept_id in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, concept_id))
        return sorted(taken)

    def remembered_concept_ids(self, text: str) -> tuple[str, ...]:
        """`concept_ids` of a text that recurs (a condition, an intervention), remembered for
        the `REMEMBERED` texts last asked about."""
        return self._remembered(text)

    def _concept_id_tuple(self, text: str) -> tuple[str, ...]:
        return tuple(self.concept_ids(text))


@cache
def matcher() -> Matcher:
    """The matcher over the packaged vocabulary, built on first use."""
    return Matcher(load())


def find(text: str) -> list[Match]:
    return matcher().find(text)
