"""The matcher over the packaged vocabulary: what it finds in Korean and English text, and
what it must not find."""

from __future__ import annotations

import itertools

import pytest

from trials.concepts.matcher import Match, Matcher, find, matcher
from trials.concepts.vocabulary import load


def ids(text: str) -> list[str]:
    return [m.concept_id for m in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Korean: particles and attached nouns after a form, spacing either way
        ("폐암", ["lung_cancer"]),
        ("폐암환자", ["lung_cancer"]),
        ("폐암의 치료", ["lung_cancer"]),
        ("폐암을 진단받은", ["lung_cancer"]),
        ("폐 암", ["lung_cancer"]),
        ("만성 신장병", ["ckd"]),
        ("만성신장병", ["ckd"]),
        ("제2형 당뇨병 환자에서", ["type2_diabetes"]),
        ("2형당뇨", ["type2_diabetes"]),
        ("당뇨병성 신경병증", ["diabetic_neuropathy"]),
        ("당뇨성", ["diabetes"]),
        ("중풍", ["stroke"]),
        ("뇌졸중 후 요실금", ["stroke", "urinary_incontinence"]),
        ("B형간염", ["hepatitis_b"]),
        ("만성 B형 간염 환자", ["chronic_hepatitis_b"]),
        ("간질성 폐질환", ["ild"]),
        ("허리디스크 수술", ["lumbar_disc_herniation", "surgery"]),
        ("진행성 비소세포폐암", ["nsclc"]),
        ("조기위암", ["early_gastric_cancer"]),
        ("소아천식", ["pediatric_asthma"]),
        # one-syllable forms: a whole eojeol, or with a particle or a few nouns, never inside words
        ("암", ["cancer"]),
        ("암 환자", ["cancer"]),
        ("암환자", ["cancer"]),
        ("암을", ["cancer"]),
        ("암호화", []),
        ("암호", []),
        ("침 치료", ["acupuncture"]),
        ("침치료", ["acupuncture"]),
        ("침대", []),
        ("비침습적", []),
        # two-syllable forms do not start or end inside an unrelated word
        ("준비만 하면", []),
        ("재활성화", []),
        ("심장염", []),
        ("유산균", ["probiotics"]),
        ("과민 증세", []),
        # negating prefixes
        ("비수술적 치료", []),
        ("항-종양 활성", []),
        # Latin-script tokens inside Korean text
        ("COPD환자", ["copd"]),
        ("NSCLC 환자", ["nsclc"]),
        # English: whole tokens, case-insensitive, spelling and plural folded, longest first
        ("non-small cell lung cancer", ["nsclc"]),
        ("Non-Small-Cell Lung Carcinoma", ["nsclc"]),
        ("Carcinoma, Non-Small-Cell Lung", ["nsclc"]),
        ("lung cancer", ["lung_cancer"]),
        ("Acute Myeloid Leukaemia", ["aml"]),
        ("herniated disks", ["disc_herniation"]),
        ("Kyphoses, Scheuermann", ["scheuermann"]),
        ("Crohn's disease", ["crohn_disease"]),
        ("Sjögren's syndrome", ["sjogren"]),
        ("Type 2 Diabetes Mellitus", ["type2_diabetes"]),
        ("Diabetes Mellitus, Type 2", ["type2_diabetes"]),
        ("cancerous", []),
        ("non-cardiac surgery", ["surgery"]),
        ("Walking Aids", []),
        # abbreviations: exact case, not glued to a number, not words in capitals
        ("NSCLC", ["nsclc"]),
        ("T2DM", ["type2_diabetes"]),
        ("AF", ["atrial_fibrillation"]),
        ("af in prose", []),
        ("AIDS", ["aids"]),
        ("HIV-1", ["hiv_infection"]),
        ("Nr-axSpA", ["nr_axspa"]),
        ("GDM-001", []),
        ("ALL", ["all"]),
        ("A PHASE III TRIAL IN ALL PATIENTS WITH AML", ["aml"]),
    ],
)
def test_finds_the_expected_concepts(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_matches_carry_exact_offsets_in_reading_order() -> None:
    text = "진행성 비소세포폐암 환자와 breast cancer (BC)"
    found = find(text)
    assert [m.concept_id for m in found] == ["nsclc", "breast_cancer"]
    for match in found:
        assert text[match.start : match.end] == match.surface
    assert found[0] == Match("nsclc", 4, 10, "비소세포폐암")
    assert found[1].surface == "breast cancer"


def test_longest_match_wins_and_matches_never_overlap() -> None:
    found = find("non-small cell lung cancer and small cell lung cancer")
    assert [m.concept_id for m in found] == ["nsclc", "sclc"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_every_name_of_a_concept_finds_that_concept() -> None:
    """Each preferred name and synonym, standing alone, is matched whole to its own concept."""
    m = matcher()
    missed = [
        (c.id, name)
        for c in load()
        for name in (*c.ko.forms, *c.en.forms, *c.en.abbreviations)
        if [(x.concept_id, x.surface) for x in m.find(name)] != [(c.id, name)]
    ]
    assert missed == []


def test_a_matcher_built_from_any_vocabulary() -> None:
    from trials.concepts.vocabulary import parse

    tiny = parse(
        {
            "concepts": [
                {
                    "id": "gout",
                    "kind": "condition",
                    "ko": {"preferred": "통풍", "synonyms": ["통풍성 관절염"]},
                    "en": {"preferred": "Gout", "abbreviations": []},
                }
            ]
        }
    )
    m = Matcher(tiny)
    assert m.concept_ids("통풍 환자와 gouty") == ["gout"]
    assert m.concept_ids("통풍구") == []  # a vent, not gout


def test_a_recurring_name_is_read_once_and_gives_the_same_concepts() -> None:
    m = Matcher(load())
    names = ["Breast Cancer", "제2형 당뇨병", "Placebo", "비소세포폐암 환자", "Healthy"]
    for name in names:
        assert m.remembered_concept_ids(name) == tuple(m.concept_ids(name))
    first = m.remembered_concept_ids("Breast Cancer")
    assert m.remembered_concept_ids("Breast Cancer") is first  # remembered, not matched again
