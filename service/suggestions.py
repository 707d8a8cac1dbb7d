"""Suggestions as you type, the pure half: what was typed → the query on the suggestion index
(`indexer.suggestions` writes it), and its entries → the API's items. No I/O.

What is typed is normalised as the keys were (`trials.suggest_keys`) and looked up among the
stored prefixes (a `terms` query; a longer input, a `prefix` query on the keys): a prefix of
any word of a name, with or without spaces, or its 초성. Most trials first, then by text (the
index is sorted so, and counts no total); a concept appears once (its two languages are two
entries)."""

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


def suggest_body(q: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    return {
        "query": {"bool": {"filter": [matching(q)]}},
        "sort": [{"count": "desc"}, {"text": "asc"}],
        "size": limit * OVERFETCH,
        "track_total_hits": False,
        "_source": list(FIELDS),
    }


def items(hits: Iterable[Mapping[str, Any]], limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """The entries as items, each concept and each name once, at most `limit`."""
    seen: set[str] = set()
    found = []
    for hit in hits:
        entry = hit["_source"]
        key = entry.get("concept") or f"{entry['kind']}:{normalised(entry['text'])}"
        if key in seen:
            continue
        seen.add(key)
        found.append({name: entry.get(name) for name in FIELDS})
        if len(found) == limit:
            break
    return found


def matching(q: str) -> dict[str, Any]:
    """Entries with a key starting with what was typed (spaces kept or dropped), or with 초성
    starting with it."""
    typed = normalised(q)
    wanted = [typed, typed.replace(" ", "")]
    initials = typed_chosung(q)
    if initials:
        wanted.append(initials)
    wanted = list(dict.fromkeys(w for w in wanted if w))
    if all(len(w) <= MAX_PREFIX for w in wanted):
        return {"terms": {"prefixes": wanted}}
    fields = ("chosung" if w == initials else "keys" for w in wanted)
    should = [{"prefix": {name: w}} for name, w in zip(fields, wanted, strict=True)]
    return {"bool": {"should": should, "minimum_should_match": 1}}
