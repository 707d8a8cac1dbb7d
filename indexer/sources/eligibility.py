"""Who may take part, from registry text: ages in years and sex. Pure functions.

Ages: "18 Years", "6 Months" (0.5), "2 Weeks", "20 세 ~ 75 세", "만 19세 이상", "19 Year(s) ~
75 Year(s)", "19세~", "제한없음", "No Limit". A bound the text leaves open is None (no limit).

An exclusive bound ("만 65세 미만": under 65; "19세 초과": over 19) is stored one hundredth of a
year inside it: max 64.99, min 19.01. Ages are matched in whole years or months, so every age
under 65 is still inside and 65 itself is not — the registry's meaning, in an inclusive range.

Text that cannot be read gives None (the caller keeps the text as `ages_raw`); a record is never
rejected for its ages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EXCLUSIVE_MARGIN = 0.01  # years inside an exclusive bound

_UNITS = (
    (r"years?(?:\(s\))?|yrs?|세|살", 1.0),
    (r"months?(?:\(s\))?|개월", 1 / 12),
    (r"weeks?(?:\(s\))?|주", 7 / 365.25),
    (r"days?(?:\(s\))?|일", 1 / 365.25),
    (r"hours?(?:\(s\))?|시간", 1 / 8766),
    (r"minutes?(?:\(s\))?|분", 1 / 525960),
)
_UNIT = "|".join(pattern for pattern, _ in _UNITS)
# (word, side, exclusive) — words after the number (이상 …) or before it (under …)
_AFTER = {
    "이상": ("min", False),
    "초과": ("min", True),
    "이하": ("max", False),
    "까지": ("max", False),
    "미만": ("max", True),
    "or older": ("min", False),
    "and older": ("min", False),
    "or over": ("min", False),
    "and over": ("min", False),
    "or above": ("min", False),
    "and above": ("min", False),
    "+": ("min", False),
    "or younger": ("max", False),
    "and younger": ("max", False),
    "or under": ("max", False),
    "and under": ("max", False),
    "or less": ("max", False),
}
_BEFORE = {
    "≥": ("min", False),
    ">=": ("min", False),
    "at least": ("min", False),
    ">": ("min", True),
    "over": ("min", True),
    "older than": ("min", True),
    "≤": ("max", False),
    "<=": ("max", False),
    "at most": ("max", False),
    "<": ("max", True),
    "under": ("max", True),
    "below": ("max", True),
    "younger than": ("max", True),
    "less than": ("max", True),
}


def _alternatives(words: dict[str, tuple[str, bool]]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TERM = re.compile(
    rf"(?:(?P<before>{_alternatives(_BEFORE)})\s*)?(?:만\s*)?(?P<number>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{_UNIT})?\s*(?P<after>{_alternatives(_AFTER)})?"
)
_SEPARATOR = re.compile(r"\s*(?:[~∼〜–—-]|\bto\b|부터)\s*")
_NO_LIMIT = re.compile(
    r"^(?:n/?a|none|no limit(?:ation)?s?|not applicable|제한\s*없음|없음|해당\s*없음|무관|-)?$"
)


@dataclass(frozen=True)
class AgeRange:
    """Years; None = no limit on that side."""

    min_years: float | None
    max_years: float | None


@dataclass(frozen=True)
class _Term:
    number: float
    unit: str | None
    side: str | None  # "min" / "max" when a word says so
    exclusive: bool


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def _unit_years(unit: str) -> float:
    return next(years for pattern, years in _UNITS if re.fullmatch(pattern, unit))


def _term(found: re.Match[str]) -> _Term:
    said = _BEFORE.get(found["before"] or "") or _AFTER.get(found["after"] or "")
    side, exclusive = said if said else (None, False)
    return _Term(float(found["number"]), found["unit"], side, exclusive)


def _years(term: _Term, unit: str | None) -> float:
    years = term.number * _unit_years(term.unit or unit or "years")
    if term.exclusive:
        years += EXCLUSIVE_MARGIN if term.side == "min" else -EXCLUSIVE_MARGIN
    return round(years, 4)


def age_years(text: str | None) -> float | None:
    """One age ("18 Years", "6 Months", "2 Weeks") in years; None for "N/A" or unreadable."""
    if not text:
        return None
    found = _TERM.fullmatch(_clean(text))
    if found is None or found["before"] or found["after"]:
        return None
    return _years(_term(found), None)


def _sided_terms(text: str) -> list[tuple[str, _Term]] | None:
    """Each age in the text with the side it bounds: said by a word (이상, 미만, under), else
    by its place around a range separator; None when a side cannot be told."""
    parts = _SEPARATOR.split(text, maxsplit=1)
    sided: list[tuple[str, _Term]] = []
    for place, part in enumerate(parts):
        terms = [_term(m) for m in _TERM.finditer(part)]
        if not terms and not _NO_LIMIT.match(part):
            return None
        for term in terms:
            side = term.side or (("min", "max")[place] if len(parts) == 2 else None)
            if side is None or (len(parts) == 2 and term.side and side != ("min", "max")[place]):
                return None
            sided.append((side, term))
    return sided


def age_range(text: str | None) -> AgeRange | None:
    """The range a registry's age text allows ("20 세 ~ 75 세", "만 19세 이상", "19세~",
    "제한없음"); None when it cannot be read."""
    if not text or not text.strip():
        return None
    cleaned = _clean(text)
    sided = _sided_terms(cleaned)
    if sided is None or len({side for side, _ in sided}) != len(sided):
        return None
    unit = next((term.unit for _, term in sided if term.unit), None)  # "20~75세": 세 for both
    bounds = {side: _years(term, unit) for side, term in sided}
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None and low > high:
        return None
    return AgeRange(low, high)


_SEX_WORDS = (
    ("all", "all both 둘다 모두 남녀 남녀모두 male_and_female female_and_male"),
    ("female", "female females women woman 여 여성 여자"),
    ("male", "male males men man 남 남성 남자"),
)
_SEX_OF = {w.replace("_", " "): sex for sex, words in _SEX_WORDS for w in words.split()}


def sex(text: str | None) -> str | None:
    """all / female / male from "ALL", "Both", "둘다", "여성" …; None when unknown."""
    if not text:
        return None
    key = _clean(text)
    return _SEX_OF.get(key) or _SEX_OF.get(key.replace(" ", ""))
