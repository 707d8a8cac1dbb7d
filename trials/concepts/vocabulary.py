"""The vocabulary as typed, frozen values: loaded once from `vocabulary.json`, checked on load,
with lookups by id, code and MeSH heading, surface forms per language and the broader-concept
graph (ancestors). Also the one JSON layout the file is written in, so edits diff line by line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

Kind = Literal["condition", "intervention"]
Lang = Literal["ko", "en"]
KINDS: tuple[Kind, ...] = get_args(Kind)
FILE = "vocabulary.json"


class VocabularyError(ValueError):
    """The vocabulary data is malformed: a missing field, a duplicate id, a broken link."""


@dataclass(frozen=True, slots=True)
class Names:
    preferred: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Preferred name and synonyms (abbreviations are matched apart, case-sensitively)."""
        return (self.preferred, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    kind: Kind
    ko: Names
    en: Names
    codes: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    source: tuple[str, ...] = ()

    def names(self, lang: Lang) -> Names:
        return self.ko if lang == "ko" else self.en


class Vocabulary:
    """All concepts, by id, with the indexes callers need (code, MeSH heading, narrower)."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self._by_id = _index_unique(concepts)
        _check_links(self._by_id)
        self._by_code = _index_many((code, c.id) for c in concepts for code in c.codes)
        self._by_mesh = _index_many((term.lower(), c.id) for c in concepts for term in c.mesh)
        self._narrower = _index_many((parent, c.id) for c in concepts for parent in c.broader)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._by_id.values())

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def get(self, concept_id: str) -> Concept:
        try:
            return self._by_id[concept_id]
        except KeyError:
            raise KeyError(f"no concept {concept_id!r}") from None

    def by_code(self, code: str) -> tuple[str, ...]:
        return self._by_code.get(code, ())

    def by_mesh(self, term: str) -> tuple[str, ...]:
        """Concepts carrying a MeSH heading as ClinicalTrials.gov spells it (case-insensitive)."""
        return self._by_mesh.get(term.lower(), ())

    def narrower(self, concept_id: str) -> tuple[str, ...]:
        return self._narrower.get(concept_id, ())

    def ancestors(self, concept_id: str) -> tuple[str, ...]:
        """Every broader concept, nearest first, each once."""
        seen: dict[str, None] = {}
        frontier = list(self.get(concept_id).broader)
        while frontier:
            parent = frontier.pop(0)
            if parent not in seen:
                seen[parent] = None
                frontier.extend(self._by_id[parent].broader)
        return tuple(seen)

    def surface_forms(self, concept_id: str, lang: Lang) -> tuple[str, ...]:
        names = self.get(concept_id).names(lang)
        return (*names.forms, *names.abbreviations)


@cache
def load() -> Vocabulary:
    """The packaged vocabulary, read and checked on first use only."""
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    return parse(json.loads(text))


def parse(data: Mapping[str, Any]) -> Vocabulary:
    try:
        return Vocabulary(tuple(_concept(raw) for raw in data["concepts"]))
    except (KeyError, TypeError) as exc:
        raise VocabularyError(f"malformed vocabulary: {exc!r}") from exc


def _concept(raw: Mapping[str, Any]) -> Concept:
    if raw["kind"] not in KINDS:
        raise VocabularyError(f"{raw['id']}: kind {raw['kind']!r} is not one of {KINDS}")
    return Concept(
        id=raw["id"],
        kind=raw["kind"],
        ko=_names(raw["ko"]),
        en=_names(raw["en"]),
        codes=tuple(raw.get("codes", ())),
        mesh=tuple(raw.get("mesh", ())),
        broader=tuple(raw.get("broader", ())),
        source=tuple(raw.get("source", ())),
    )


def _names(raw: Mapping[str, Any]) -> Names:
    return Names(
        preferred=raw["preferred"],
        synonyms=tuple(raw.get("synonyms", ())),
        abbreviations=tuple(raw.get("abbreviations", ())),
    )


def _index_unique(concepts: tuple[Concept, ...]) -> dict[str, Concept]:
    by_id: dict[str, Concept] = {}
    for concept in concepts:
        if concept.id in by_id:
            raise VocabularyError(f"duplicate concept id {concept.id!r}")
        by_id[concept.id] = concept
    return by_id


def _index_many(pairs: Iterator[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for key, concept_id in pairs:
        if concept_id not in index.get(key, ()):
            index[key] = (*index.get(key, ()), concept_id)
    return index


def _check_links(by_id: Mapping[str, Concept]) -> None:
    """Every broader id exists and following broader links never comes back (no cycles)."""
    for concept in by_id.values():
        for parent in concept.broader:
            if parent not in by_id:
                raise VocabularyError(f"{concept.id}: broader {parent!r} is not a concept")
    state: dict[str, bool] = {}  # False while on the current path, True once done
    for concept_id in by_id:
        _visit(concept_id, by_id, state)


def _visit(concept_id: str, by_id: Mapping[str, Concept], state: dict[str, bool]) -> None:
    if state.get(concept_id) is True:
        return
    if state.get(concept_id) is False:
        raise VocabularyError(f"broader links form a cycle through {concept_id!r}")
    state[concept_id] = False
    for parent in by_id[concept_id].broader:
        _visit(parent, by_id, state)
    state[concept_id] = True


def dumps(data: Mapping[str, Any]) -> str:
    """The file layout: one line per field of a concept, so a review diff shows what changed."""
    blocks = [_dump_concept(raw) for raw in data["concepts"]]
    head = f'{{\n  "version": {json.dumps(data.get("version", 1))},\n  "concepts": [\n'
    return head + ",\n".join(blocks) + "\n  ]\n}\n"


def _dump_concept(raw: Mapping[str, Any]) -> str:
    fields = [f'      "{k}": {json.dumps(v, ensure_ascii=False)}' for k, v in raw.items()]
    return "    {\n" + ",\n".join(fields) + "\n    }"
