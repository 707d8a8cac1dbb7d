"""The part of ClinicalTrials.gov's Essie expressions (`filter.advanced`) the fake registry
evaluates: date ranges on `LastUpdatePostDate`, alone or joined by AND, which is what the ctgov
source asks for in an incremental run. As the real API, a range is inclusive, `MIN`/`MAX` leave
a side open, and a study without the date matches no range. Any other expression is refused,
so a test never passes on a filter the fake ignored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

Study = dict[str, Any]
Test = Callable[[Study], bool]

_RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[\s*([^,\]]+?)\s*,\s*([^\]]+?)\s*\]")


class UnsupportedExpression(ValueError):
    """An expression the fake cannot evaluate (the real registry might)."""


def selector(expression: str) -> Test:
    """Whether a study is one `expression` selects (every study when it is empty);
    `UnsupportedExpression` when the fake cannot evaluate it."""
    tests = [_term(term) for term in _terms(expression)] if expression.strip() else []
    return lambda study: all(test(study) for test in tests)


def _terms(expression: str) -> list[str]:
    """The AND-ed terms, without the parentheses the source puts around a configured one."""
    return [term.strip().strip("()").strip() for term in expression.split(" AND ")]


def _term(term: str) -> Test:
    found = _RANGE.fullmatch(term)
    if found is None:
        raise UnsupportedExpression(
            f"the fake registry evaluates only AREA[LastUpdatePostDate]RANGE[from,to] terms "
            f"joined by AND, not {term!r}"
        )
    low, high = _bound(found[1], "MIN"), _bound(found[2], "MAX")

    def test(study: Study) -> bool:
        posted = _last_update_posted(study)
        return posted is not None and (low or posted) <= posted <= (high or posted)

    return test


def _bound(text: str, open_word: str) -> date | None:
    if text == open_word:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UnsupportedExpression(f"not a date or {open_word}: {text!r}") from None


def _last_update_posted(study: Study) -> date | None:
    status = study.get("protocolSection", {}).get("statusModule", {})
    posted = status.get("lastUpdatePostDateStruct", {}).get("date")
    try:
        return date.fromisoformat(posted) if isinstance(posted, str) else None
    except ValueError:
        return None
