"""초성 (initial consonants) for suggestions."""

from __future__ import annotations

import pytest

from trials.concepts.hangul import chosung, has_hangul, is_chosung


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("당뇨병", "ㄷㄴㅂ"),
        ("폐암", "ㅍㅇ"),
        ("까치", "ㄲㅊ"),
        ("힣", "ㅎ"),
        ("가", "ㄱ"),
        ("제2형 당뇨병", "ㅈ2ㅎ ㄷㄴㅂ"),
        ("COPD 환자", "COPD ㅎㅈ"),
        ("", ""),
    ],
)
def test_chosung(text: str, expected: str) -> None:
    assert chosung(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ㄷㄴㅂ", True),
        ("ㅍ ㅇ", True),
        ("ㄲㅊ", True),
        ("당뇨", False),
        ("ㄷㄴ병", False),
        ("", False),
    ],
)
def test_is_chosung(text: str, expected: bool) -> None:
    assert is_chosung(text) is expected


def test_has_hangul() -> None:
    assert has_hangul("COPD 환자")
    assert not has_hangul("COPD ㄷ")  # a lone jamo is not a syllable
