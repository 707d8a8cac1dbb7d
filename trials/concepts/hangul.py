"""Hangul helpers: what a syllable is, and 초성 (the initial consonants) of a text, which Korean
users type as a shorthand in search boxes (ㄷㄴㅂ for 당뇨병)."""

from __future__ import annotations

import re

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
# The 19 initial consonants in Unicode syllable order (compatibility jamo, as keyboards type them).
CHOSUNG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_SYLLABLES_PER_INITIAL = 21 * 28  # medial vowels x finals
_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def has_hangul(text: str) -> bool:
    return _SYLLABLE.search(text) is not None


def chosung(text: str) -> str:
    """Each Hangul syllable replaced by its initial consonant; anything else kept as it is
    (당뇨병 → ㄷㄴㅂ, 제2형 당뇨병 → ㅈ2ㅎ ㄷㄴㅂ)."""
    return "".join(_initial(c) if is_syllable(c) else c for c in text)


def is_chosung(text: str) -> bool:
    """The text is only initial consonants (and spaces): a 초성 query such as ㅍㅇ."""
    letters = text.replace(" ", "")
    return bool(letters) and all(c in CHOSUNG for c in letters)


def _initial(syllable: str) -> str:
    return CHOSUNG[(ord(syllable) - SYLLABLE_FIRST) // _SYLLABLES_PER_INITIAL]
