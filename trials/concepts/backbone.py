"""The one-off import of the KCD backbone: the public list of three-character KCD categories
(code, Korean title, English title) named in PROVENANCE.md. The categories chosen for the
vocabulary are the codes of the concepts whose `source` includes "kcd8"; for each of them this
turns the official titles into clean surface forms and adds the missing ones to that concept in
`vocabulary.json` (the first becomes the preferred name of a concept that has none yet). The
reviewed JSON stays the source of truth: running this again never removes or rewrites a name.

    python -m trials.concepts.backbone ICDCodes.js [vocabulary.json]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from trials.concepts.vocabulary import FILE, dumps

# Official titles that are ordinary words or another disease in running Korean; kept out of the
# surface forms (the code still applies): 간질 is also 간질성 (interstitial) and 간 질환,
# 단독 means "alone" (단독요법), 마마 is a nursery word.
AMBIGUOUS = frozenset({"간질", "단독", "마마"})
# A title with one of these is a residual category ("other and unspecified …"), not a name
# anybody searches for.
RESIDUAL = re.compile(
    r"상세불명|달리 분류|명시된|명시되지|부위불명|부분불명|행동양식|다른 장에서|특정 현존|"
    r"기타|포함|"
    r"unspecified|specified|classified|ill-defined|elsewhere|including|\bother\b|\bNEC\b|\bNOS\b|"
    r"^(disorders|diseases|conditions)\b",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_LEADING_OTHER = re.compile(r"^(기타|other)\s+", re.IGNORECASE)
_TRAILING_BRACKET = re.compile(r"^(?P<name>[^\[\]]+?)\s*\[(?P<alt>[^\[\]]+)\]$")
_INNER_BRACKET = re.compile(r"\s*\[[^\[\]]*\]\s*")


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    title_ko: str
    title_en: str


def parse_categories(js_text: str) -> dict[str, Category]:
    """The categories of the `var ICDCodeData = [...];` array literal (valid JSON inside)."""
    start = js_text.index("[")
    rows = json.loads(js_text[start : js_text.index("];", start) + 1])
    return {r["name"]: Category(r["name"], r["title"].strip(), r["title_en"].strip()) for r in rows}


def formal_names(title: str) -> tuple[str, ...]:
    """Clean surface forms of one official title: notes in parentheses dropped, "A[B]" read as
    two names, a leading "Other"/"기타" dropped; residual categories and ambiguous words give
    nothing."""
    title = " ".join(_PARENTHESES.sub("", title).split())
    match = _TRAILING_BRACKET.match(title)
    names = [match["name"], match["alt"]] if match else [_INNER_BRACKET.sub(" ", title)]
    cleaned = (" ".join(_LEADING_OTHER.sub("", name).split()) for name in names)
    kept = (n for n in cleaned if n and n not in AMBIGUOUS and not RESIDUAL.search(n))
    return tuple(dict.fromkeys(kept))


def import_backbone(data: Mapping[str, Any], categories: Mapping[str, Category]) -> dict[str, Any]:
    """`data` with the official names of every chosen category merged in (a new dict)."""
    concepts = []
    for raw in data["concepts"]:
        concept = {**raw, "ko": dict(raw["ko"]), "en": dict(raw["en"])}
        if "kcd8" in concept.get("source", ()):
            _merge(concept, (categories[c] for c in concept["codes"] if c in categories))
        concepts.append(concept)
    return {**data, "concepts": concepts}


def _merge(concept: dict[str, Any], categories: Iterable[Category]) -> None:
    for category in categories:
        _add_names(concept["ko"], formal_names(category.title_ko))
        _add_names(concept["en"], formal_names(category.title_en))


def _add_names(side: dict[str, Any], names: tuple[str, ...]) -> None:
    side.setdefault("preferred", "")
    side["synonyms"] = list(side.get("synonyms", ()))
    known = {side["preferred"].casefold(), *(s.casefold() for s in side["synonyms"])}
    for name in names:
        if not side["preferred"]:
            side["preferred"] = name
        elif name.casefold() not in known:
            side["synonyms"].append(name)
        known.add(name.casefold())


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    categories = parse_categories(Path(argv[0]).read_text(encoding="utf-8"))
    target = Path(argv[1]) if len(argv) == 2 else Path(str(resources.files(__package__) / FILE))
    data = json.loads(target.read_text(encoding="utf-8"))
    target.write_text(dumps(import_backbone(data, categories)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
