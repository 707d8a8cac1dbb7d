"""Parsing of registry values shared by the sources: text, numbers, dates and durations.
Anything unreadable raises `RecordRejected` naming the field, so one bad record never stops a
run."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from indexer.errors import RecordRejected

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(년|개월|월|주|years?|months?)\s*$", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def text(value: Any, name: str) -> str | None:
    """A stripped string; empty and null are missing; numbers are accepted as text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordRejected(f"{name}: expected text, got {type(value).__name__}")
    cleaned = str(value).strip()
    return cleaned or None


def integer(value: Any, name: str) -> int | None:
    """An integer given as a number or a numeric string ("120", "1,200"); "" is missing."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "")
        if not cleaned:
            return None
        if cleaned.isdigit():
            return int(cleaned)
    raise RecordRejected(f"{name}: expected a whole number, got {value!r}")


def calendar_date(value: Any, name: str) -> date | None:
    """`YYYY-MM-DD`, `YYYY/MM/DD` or `YYYY-MM` (→ the 1st); "" is missing."""
    raw = text(value, name)
    if raw is None:
        return None
    found = _DATE.match(raw)
    if found is None:
        raise RecordRejected(f"{name}: unparseable date {raw!r}")
    year, month, day = found.group(1), found.group(2), found.group(3) or "1"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise RecordRejected(f"{name}: impossible date {raw!r}") from None


def months_of(duration: str | None) -> int | None:
    """Months in a free-text study duration ("3년" → 36, "36개월" → 36); None when the text
    gives no number or no unit ("년", "30")."""
    if not duration:
        return None
    found = _PERIOD.match(duration)
    if found is None:
        return None
    amount, unit = float(found.group(1)), found.group(2).lower()
    if unit in ("년", "year", "years"):
        return round(amount * 12)
    if unit == "주":
        return max(round(amount / 4.345), 1)
    return round(amount)


def months_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month


def is_korean(value: str | None) -> bool:
    return bool(value and _HANGUL.search(value))


def canonical_flat(record: dict[str, Any], drop: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A flat record for hashing: strings stripped, numbers as text, empty and null dropped
    (the portal has sent both for "missing"), keys in `drop` left out."""
    result: dict[str, Any] = {}
    for key, value in record.items():
        if type(value) is str:  # the common case first: this runs for every record of a sync
            value = value.strip()
            if not value:
                continue
        elif value is None or value == [] or value == {}:
            continue
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if key not in drop:
            result[key] = value
    return result
