"""Telling an organisation's name from a person's: registries put a person where an
organisation belongs (ClinicalTrials.gov's `organization.fullName` "Arbelaez, Ana Maria", class
INDIV), and `sponsor` / `institution` hold organisations only.

A name is a person's when the registry says so (class INDIV), or, with no organisation word in it,
when it is written "Last, First" or carries a degree ("Sheng-Li Xue, MD"). A bare "First Last" is
not judged: without a list of names it cannot be told from a company's ("Novo Nordisk").
"""

from __future__ import annotations

import re

from indexer.sources.places import country_code

# Stems found inside organisation names in many languages (Rigshospitalet, Universitätsklinikum)
_ORGANISATION_STEMS = re.compile(
    r"hospi|univers|institu|clinic|klinik|college|school|cent(?:er|re)|found|fondation|fundaci"
    r"|stiftung|compan|corporat|pharm|health|medic|research|group|division|department|ministr"
    r"|council|societ|associat|network|trust|agency|laborator|science|therapeut|biotech|biolog"
    r"|service|authority|national|academ|consorti|organi[sz]|government|program|faculty|cancer"
    r"|oncolog|holding|technolog|partners|limited|alliance|federa|office|bureau",
    re.I,
)
_ORGANISATION_WORDS = re.compile(
    r"\b(?:inc|ltd|llc|lp|plc|gmbh|ag|sa|s\.a|spa|s\.p\.a|a/s|ab|bv|nv|kk|co|corp|nih)\b\.?", re.I
)
_DEGREE = re.compile(
    r"\b(?:m\.?d|ph\.?d|d\.?c|dds|dmd|mph|msc|m\.?sc|rn|mbbs|frcp\w*|prof|dr)\b\.?", re.I
)
_NAME_PART = re.compile(r"^[^\W\d_]+(?:[\s'.-]+[^\W\d_]+){0,2}\.?$")


def _is_organisation(name: str) -> bool:
    return bool(_ORGANISATION_STEMS.search(name) or _ORGANISATION_WORDS.search(name))


def _last_first(name: str) -> bool:
    parts = [p.strip() for p in name.split(",")]
    return (
        len(parts) == 2
        and all(_NAME_PART.match(p) for p in parts)
        and country_code(parts[1]) is None  # "Rigshospitalet, Denmark" is a place
    )


def looks_like_person(name: str, kind: str | None = None) -> bool:
    """Whether `name` (of registry class `kind`, e.g. ClinicalTrials.gov's INDIV) is a person's."""
    if kind == "INDIV":
        return True
    if _is_organisation(name):
        return False
    return _last_first(name) or bool(_DEGREE.search(name))
