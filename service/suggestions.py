"""Suggestions as you type, the pure half: what was typed → the query on the suggestion index
(`indexer.suggestions` writes it), and its entries → the API's items. No I/O.

What is typed reaches only `prefix` queries on keyword fields, normalised as the keys were
(`trials.suggest_keys`): a prefix of any word of a name, with or without spaces, or its 초성.
Most trials first, then by text; a concept appears once (its two languages are two entries)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from trials.suggest_keys import normalised, typed_chosung

DEFAULT_LIMIT = 10
MAX_LIMIT = 20
MAX_LENGTH = 100
FIELDS = ("text", "kind", "concept", "ko", "en", "count")
# A concept has an entry per language and both may match (CAR-T is in both), so twice the
# entries are read and the second of a pair dropped
OVERFETCH = 2


def suggest_body(q: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    typed = normalised(q)
    prefixes = [{"prefix": {"keys": key}} for key in dict.fromkeys((typed, typed.replace(" ", "")))]
    initials = typed_chosung(q)
    if initials:
        prefixes.append({"prefix": {"chosung": initials}})
    return {
        "query": {"bool": {"filter": [{"bool": {"should": prefixes, "minimum_should_match": 1}}]}},
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
