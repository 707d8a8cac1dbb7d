"""The one-off KCD import: reading the category list, cleaning official titles, and merging
names into the vocabulary without touching curated ones."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from trials.concepts.backbone import formal_names, import_backbone, parse_categories
from trials.concepts.vocabulary import load, parse

# The shape of the published file: a JS array literal, then code that uses it.
SAMPLE_JS = """var ICDCodeData = [
    {
        "name": "C34",
        "title": "기관지 및 폐의 악성 신생물",
        "title_en": "Malignant neoplasm of bronchus and lung"
    },
    {
        "name": "A30",
        "title": "나병[한센병]",
        "title_en": "Leprosy[Hansen's disease]"
    },
    {
        "name": "E14",
        "title": "상세불명의 당뇨병",
        "title_en": "Unspecified diabetes mellitus"
    }
];

$.map(ICDCodeData, function(obj) { return obj });
"""


def test_parse_categories_reads_the_array_literal() -> None:
    categories = parse_categories(SAMPLE_JS)
    assert list(categories) == ["C34", "A30", "E14"]
    assert categories["C34"].title_en == "Malignant neoplasm of bronchus and lung"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("나병[한센병]", ("나병", "한센병")),
        ("Varicella [chickenpox]", ("Varicella", "chickenpox")),
        ("기저귀[냅킨]피부염", ("기저귀 피부염",)),
        ("Malignant neoplasm of pyriform sinus(梨狀洞)", ("Malignant neoplasm of pyriform sinus",)),
        ("호지킨림프종(214쪽 세분류 참조)", ("호지킨림프종",)),
        ("기타 갑상선기능저하증", ("갑상선기능저하증",)),
        ("Other sepsis", ("sepsis",)),
        ("상세불명의 당뇨병", ()),
        ("Other diseases of pancreas", ()),
        ("달리 분류되지 않은 간부전", ()),
        ("간질", ()),
        ("단독", ()),
    ],
)
def test_formal_names(title: str, expected: tuple[str, ...]) -> None:
    assert formal_names(title) == expected


def vocabulary_data() -> dict[str, Any]:
    return {
        "version": 1,
        "concepts": [
            {
                "id": "lung_cancer",
                "kind": "condition",
                "ko": {"preferred": "폐암", "synonyms": []},
                "en": {"preferred": "Lung cancer", "synonyms": [], "abbreviations": []},
                "codes": ["C34"],
                "source": ["kcd8", "curated"],
            },
            {
                "id": "leprosy",
                "kind": "condition",
                "ko": {"preferred": "한센병", "synonyms": []},
                "en": {"preferred": "Leprosy", "synonyms": [], "abbreviations": []},
                "codes": ["A30"],
                "source": ["curated"],
            },
        ],
    }


def test_import_adds_official_names_to_chosen_concepts_only() -> None:
    data = vocabulary_data()
    before = copy.deepcopy(data)
    merged = import_backbone(data, parse_categories(SAMPLE_JS))
    lung, leprosy = merged["concepts"]
    assert lung["ko"] == {"preferred": "폐암", "synonyms": ["기관지 및 폐의 악성 신생물"]}
    assert lung["en"]["preferred"] == "Lung cancer"
    assert lung["en"]["synonyms"] == ["Malignant neoplasm of bronchus and lung"]
    assert leprosy == before["concepts"][1]  # not kcd8-sourced: untouched
    assert data == before  # the input is not modified
    parse(merged)


def test_import_twice_changes_nothing_more() -> None:
    categories = parse_categories(SAMPLE_JS)
    once = import_backbone(vocabulary_data(), categories)
    assert import_backbone(once, categories) == once


def test_a_stub_gets_its_preferred_names_from_the_backbone() -> None:
    stub = {
        "concepts": [
            {
                "id": "lung_cancer",
                "kind": "condition",
                "ko": {"preferred": "", "synonyms": []},
                "en": {"preferred": "", "synonyms": [], "abbreviations": []},
                "codes": ["C34"],
                "source": ["kcd8"],
            }
        ]
    }
    (concept,) = import_backbone(stub, parse_categories(SAMPLE_JS))["concepts"]
    assert concept["ko"]["preferred"] == "기관지 및 폐의 악성 신생물"
    assert concept["en"]["preferred"] == "Malignant neoplasm of bronchus and lung"


def test_packaged_kcd8_concepts_name_their_codes() -> None:
    kcd8 = [c for c in load() if "kcd8" in c.source]
    assert len(kcd8) > 200
    codes = [code for c in kcd8 for code in c.codes if "." not in code]
    assert all(len(code) == 3 and code[0].isupper() for code in codes)
