"""Coverage: which recorded ClinicalTrials.gov conditions (distinct, case-folded) the matcher
finds at least one concept in, which keywords and MeSH headings map to concepts, and how many
CRIS and iCReaT titles get a concept at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.concepts.recorded import cris_titles, ctgov_studies, icreat_titles
from trials.concepts.matcher import Matcher
from trials.concepts.vocabulary import Vocabulary


@dataclass(frozen=True)
class Share:
    label: str
    hit: int
    total: int

    def line(self) -> str:
        percent = 100 * self.hit / self.total if self.total else 0.0
        return f"{self.label:<44} {self.hit:>5} / {self.total:<5} ({percent:5.1f}%)"


def distinct(values: list[str]) -> list[str]:
    """One spelling per case-folded value, the first one seen (abbreviations keep their case)."""
    return list({v.casefold(): v for v in reversed(values)}.values())[::-1]


def module_values(root: Path, module: str, key: str) -> list[str]:
    return distinct(
        [v for s in ctgov_studies(root) for v in s["protocolSection"].get(module, {}).get(key, [])]
    )


def mesh_terms(root: Path) -> list[str]:
    return distinct(
        [
            m["term"]
            for s in ctgov_studies(root)
            for m in s.get("derivedSection", {}).get("conditionBrowseModule", {}).get("meshes", [])
        ]
    )


def report(root: Path, vocabulary: Vocabulary, matcher: Matcher) -> tuple[list[Share], list[str]]:
    conditions = module_values(root, "conditionsModule", "conditions")
    leftovers = [c for c in conditions if not matcher.find(c)]
    keywords = module_values(root, "conditionsModule", "keywords")
    meshes = mesh_terms(root)
    shares = [
        Share("ctgov conditions with a concept", len(conditions) - len(leftovers), len(conditions)),
        Share(
            "ctgov keywords with a concept",
            sum(bool(matcher.find(k)) for k in keywords),
            len(keywords),
        ),
        Share(
            "ctgov condition MeSH headings on a concept",
            sum(bool(vocabulary.by_mesh(m)) for m in meshes),
            len(meshes),
        ),
        _titles("CRIS titles (ko and en) with a concept", cris_titles(root), matcher),
        _titles("iCReaT titles with a concept", icreat_titles(root), matcher),
    ]
    return shares, sorted(leftovers, key=str.casefold)


def _titles(label: str, titles: list[str], matcher: Matcher) -> Share:
    return Share(label, sum(bool(matcher.find(t)) for t in titles), len(titles))
