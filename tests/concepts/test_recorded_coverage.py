"""Every condition named by a recorded ClinicalTrials.gov study is tagged with a concept, unless
it is one of the entries PROVENANCE.md lists as no condition at all."""

from __future__ import annotations

from testkit.registry.records import ctgov_studies
from trials.concepts.matcher import matcher

# Populations, qualifiers, measurements and placeholders — not conditions (see PROVENANCE.md).
NOT_CONDITIONS = {
    "acute disease",
    "bony growth formation",
    "central nervous system pathology",
    "children",
    "cytokine",
    "deformity",
    "degenerative disease",
    "healthy adult males volunteers",
    "healthy japanese subjects",
    "healthy subjects",
    "instabilities",
    "intraocular pressure",
    "non-central nervous system pathology",
    "older adults",
    "quality of life",
    "stiffness; spine",
}


def test_recorded_ctgov_conditions_have_concepts() -> None:
    conditions = {
        condition
        for study in ctgov_studies()
        for condition in study["protocolSection"].get("conditionsModule", {}).get("conditions", [])
    }
    untagged = {c.casefold() for c in conditions if not matcher().find(c)}
    assert len(conditions) > 100
    assert untagged <= NOT_CONDITIONS
