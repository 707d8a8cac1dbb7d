"""Trial history: what one registry change did to a trial's normalised document, as one
history document (alias `trials-history`) written beside the trial by the sink.

A change is `created`, `updated`, `restored` or `removed`; its `fields` list {field, old, new}
over the normalised document, nested objects as dotted names (`study_period.end`). Long texts
keep a short excerpt of each side around where they first differ (`excerpt: true`), lists the
items added and removed. A `renormalized` or re-read write changes no registry content and
writes no history: users follow the registry, and a parser change would flood every feed.

The id is the trial's id and the `_version` of the stored document the change leaves (`@0`
when there was none). Every stored state is left at most once, so a run killed after the
history item reached the node and rerun makes the same change from the same state: its
`create` is a 409 that is counted nowhere, and each change is recorded exactly once.
"""

from __future__ import annotations

from typing import Any

from trials.model import CHANGE_KINDS

CHANGES = (*CHANGE_KINDS, "removed")
# Bookkeeping of the writes and what is derived from other fields (concepts from the titles
# and conditions), not the registry's: left out of the diff.
NOT_DIFFED = frozenset(
    {"raw", "content_hash", "document_hash", "served_hash", "detail_read_at", "first_seen_at"}
    | {"changed_at"}
    | {"last_change", "removed_at", "last_run_id", "changed_fields", "id", "synthetic"}
    | {"concepts", "concept_ancestors", "source_updated_at"}
)
LONG_TEXT = 200  # characters: a longer text is shown as an excerpt of each side
EXCERPT = 80
MAX_ITEMS = 20  # list items shown in old / new / added / removed


def history_id(trial_id: str, from_version: int | None) -> str:
    """The change that leaves the stored state written at `from_version` (None: no state)."""
    return f"{trial_id}@{from_version or 0}"


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose values differ between two document bodies, in name order."""
    before, after = _flat(old), _flat(new)
    names = sorted(set(before) | set(after))
    return [
        _entry(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    ]


def document(
    body: dict[str, Any],
    change: str,
    fields: list[dict[str, Any]],
    *,
    run_id: str,
    at: str,
    from_version: int | None,
) -> dict[str, Any]:
    """The history document of `change` to the trial whose (new) body is `body`."""
    if change not in CHANGES:
        raise ValueError(f"change must be one of {CHANGES}, not {change!r}")
    return {
        "trial_id": body["id"],
        "source": body["source"],
        "registry_id": body["registry_id"],
        "title": body.get("title"),
        "run_id": run_id,
        "at": at,
        "change": change,
        "from_version": from_version,
        "changed_fields": [entry["field"] for entry in fields],
        "fields": fields,
    }


def _flat(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in body.items():
        if not prefix and name in NOT_DIFFED:
            continue
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{name}."))
        elif value is not None and value != []:
            flat[f"{prefix}{name}"] = value
    return flat


def _entry(name: str, old: Any, new: Any) -> dict[str, Any]:
    if isinstance(old, list) or isinstance(new, list):
        return _list_entry(name, old or [], new or [])
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT:
        start = max(0, _common_prefix(old, new) - EXCERPT // 4)
        return {
            "field": name,
            "old": _excerpt(old, start),
            "new": _excerpt(new, start),
            "excerpt": True,
        }
    if isinstance(old, str) and len(old) > LONG_TEXT:
        old = _excerpt(old, 0)
    if isinstance(new, str) and len(new) > LONG_TEXT:
        new = _excerpt(new, 0)
    return {"field": name, "old": old, "new": new}


def _list_entry(name: str, old: list[Any], new: list[Any]) -> dict[str, Any]:
    before, after = [_label(item) for item in old], [_label(item) for item in new]
    known_before, known_after = set(before), set(after)
    entry: dict[str, Any] = {
        "field": name,
        "old": before[:MAX_ITEMS],
        "new": after[:MAX_ITEMS],
        "added": [item for item in after if item not in known_before][:MAX_ITEMS],
        "removed": [item for item in before if item not in known_after][:MAX_ITEMS],
    }
    if max(len(before), len(after)) > MAX_ITEMS:
        entry["excerpt"] = True
    return entry


def _label(item: Any) -> str:
    """One list item as text: a site by its name, city and status, an outcome by its measure."""
    if isinstance(item, dict):
        if "measure" in item:
            return str(item["measure"])[:LONG_TEXT]
        parts = (item.get(k) for k in ("name", "city", "region", "country", "status"))
        return ", ".join(str(p) for p in parts if p) or str(sorted(item.items()))[:LONG_TEXT]
    return str(item)[:LONG_TEXT]


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _excerpt(text: str, start: int) -> str:
    piece = text[start : start + EXCERPT]
    return ("…" if start > 0 else "") + piece + ("…" if start + EXCERPT < len(text) else "")
