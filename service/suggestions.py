"""Suggestions as you type, the pure half: what was typed → the query on the suggestion index
(`indexer.suggestions` writes it), and its entries → the API's items. No I/O.

What is typed is normalised as the keys were (`trials.suggest_keys`) and looked up among the
stored prefixes (a `terms` query; a longer input, a `prefix` query on the keys): a prefix of
any word of a name, with or without spaces, or its 초성. Most trials first, then by text (the
index is sorted so, and counts no total); a concept appears once (its two languages are two
entries). `service.suggestion_map` answers the same from memory; this query is what it must
agree with, and what the node is asked until the map is loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from trials.suggest_keys import MAX_PREFIX, normalised, typed_chosung

DEFAULT_LIMIT = 10
MAX_LIMIT = 20
MAX_LENGTH = 100
FIELDS = ("text", "kind", "concept", "ko", "en", "count")
# A concept has an entry per language and both may match (CAR-T is in both), so twice the
# entries are read and the second of a pair dropped
OVERFETCH = 2
SORT = [{"count": "desc"}, {"text": "asc"}]


def suggest_body(q: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    return {
        "query": {"bool": {"filter": [matching(q)]}},
        "sort": SORT,
        "size": limit * OVERFETCH,
        "track_total_hits": False,
        "_source": list(FIELDS),
    }


def items(hits: Iterable[Mapping[str, Any]], limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """The hits' entries as items, each concept and each name once, at most `limit`."""
    return distinct(((identity(h["_source"]), item(h["_source"])) for h in hits), limit)


def distinct(
    found: Iterable[tuple[str, dict[str, Any]]], limit: int = DEFAULT_LIMIT
) -> list[dict[str, Any]]:
    """The first `limit` items of (identity, item) pairs, most trials first, each identity
    once."""
    seen: set[str] = set()
    kept = []
    for key, one in found:
        if key not in seen:
            seen.add(key)
            kept.append(one)
            if len(kept) == limit:
                break
    return kept


def identity(entry: Mapping[str, Any]) -> str:
    """What makes entries one item: the concept (its two languages), or the kind and the name
    (Venetoclax, venetoclax)."""
    return entry.get("concept") or f"{entry['kind']}:{normalised(entry['text'])}"


def item(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {name: entry.get(name) for name in FIELDS}


def wanted(q: str) -> tuple[list[str], str | None]:
    """What is looked for: what was typed, normalised, with and without its spaces, and its
    초성 (also returned alone: it is looked up among the 초성 keys), each once."""
    typed = normalised(q)
    terms = [typed, typed.replace(" ", "")]
    initials = typed_chosung(q)
    if initials:
        terms.append(initials)
    return list(dict.fromkeys(w for w in terms if w)), initials


def matching(q: str) -> dict[str, Any]:
    """Entries with a key starting with what was typed (spaces kept or dropped), or with 초성
    starting with it."""
    terms, initials = wanted(q)
    if all(len(w) <= MAX_PREFIX for w in terms):
        return {"terms": {"prefixes": terms}}
    fields = ("chosung" if w == initials else "keys" for w in terms)
    should = [{"prefix": {name: w}} for name, w in zip(fields, terms, strict=True)]
    return {"bool": {"should": should, "minimum_should_match": 1}}
