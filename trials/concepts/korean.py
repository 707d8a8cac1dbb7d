"""Korean mentions. Spacing in Korean is loose (만성 신장병 / 만성신장병), so forms and text are
compared without spaces, through a trie of characters. What may stand around a match follows
the eojeol (the space-separated word): a form may be followed by particles or attached nouns
(폐암의, 폐암환자) and preceded by an attached modifier (조기위암). Short forms are guarded so
that they never match inside an unrelated word (암호, 침대, 준비만):

- one character (암, 침): a whole eojeol, or one followed by a particle or a few nouns (암환자);
- two characters: from the start of an eojeol or after a known modifier (진행성, 소아, 조기 …),
  and followed by nothing, a particle, a known attached noun or a one-syllable suffix (당뇨성);
- three or more: anywhere (the longest match wins over any shorter one inside it).

A match that spans a space is judged by its parts in the first and last eojeol (과민 증세 is not
과민증), and one right after a negating prefix (비수술적, 항-종양) does not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from trials.concepts.hangul import has_hangul

_SKIPPED = frozenset(" \t\r\n-‐‑–—·‧ㆍ∙•/_")
PARTICLES = (
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "와", "과", "로", "으로",
    "도", "만", "까지", "부터", "및", "등", "인", "이며", "이나", "나", "이다", "입니다", "들",
    "에는", "에도", "에서의", "으로의", "로의", "과의", "와의", "처럼", "보다", "이란", "란",
)  # fmt: skip
NOUNS_AFTER_ANY = ("환자", "환아", "치료", "생존자", "검진", "센터", "예방", "관리", "진단")
NOUNS_AFTER_TWO = (
    *NOUNS_AFTER_ANY, "관련", "유발", "수술", "코호트", "레지스트리", "발생", "유병", "위험",
    "재발", "백신", "감염", "증상", "연구", "임상", "조절", "개선", "완화", "평가", "특성", "경과",
    "예후", "검사",
)  # fmt: skip
# One-syllable suffixes (당뇨성, 수술적, 감기약, 비만군, 수술후) count only when they end the
# eojeol or a particle follows: 재활성화 is reactivation, not 재활 (rehabilitation).
SUFFIXES = ("군", "성", "형", "적", "증", "약", "자", "시", "후", "전", "중")
# A match right after a negating prefix is its opposite: 비수술적 치료 is non-surgical and
# 항-종양 (anti-tumour) is no tumour.
NEGATIONS = ("비", "무", "불", "미", "항")
MODIFIERS = (
    "조기", "초기", "진행", "진행성", "재발", "재발성", "전이", "전이성", "말기", "소아", "급성",
    "만성", "중증", "경증", "경도", "중등도", "고도", "초고도", "병적", "난치성", "불응성",
    "원발성", "이차성", "국소", "노인", "성인", "청소년", "아동", "영아", "신생아", "임신성",
    "산후", "당뇨병성", "알코올성", "감염성", "외상성", "퇴행성", "특발성", "선천성", "후천성",
    "유전성", "가족성", "허혈성", "출혈성", "잠복", "활동성", "무증상",
)  # fmt: skip
_END = "\x00"  # trie key of a complete form
_KEPT = re.compile("[^" + re.escape("".join(sorted(_SKIPPED))) + "]+")


def key(form: str) -> str:
    """A form as the trie stores it: folded width and case, without spaces or joiners."""
    return "".join(_fold(c) for c in form)


class KoreanIndex:
    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        self._root: dict[str, Any] = {}
        keys: set[str] = set()
        for form, concept_id in forms:
            node = self._root
            keys.add(form_key := key(form))
            for char in form_key:
                node = node.setdefault(char, {})
            node[_END] = concept_id
        # Almost every syllable starts some form, but few pairs of them do: a character is
        # looked up in the trie only where a one-character form or a form's first two stand.
        self._singles = frozenset(k for k in keys if len(k) == 1)
        self._pairs = frozenset(k[:2] for k in keys if len(k) > 1)

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, concept id) of the longest acceptable form starting at each character."""
        if not has_hangul(text):
            return
        stream, origin = _stream(text)
        singles, pairs = self._singles, self._pairs
        for p in range(len(stream)):
            if stream[p : p + 2] in pairs or stream[p] in singles:
                yield from self._longest_at(text, stream, origin, p)

    def _longest_at(
        self, text: str, stream: str, origin: list[int], p: int
    ) -> list[tuple[int, int, str]]:
        for q, concept_id in reversed(self._ends(stream, p)):
            start, end = origin[p], origin[q - 1] + 1
            first, last = _pieces(text[start:end], q - p)
            if _start_ok(text, start, first) and _end_ok(text, end, last):
                return [(start, end, concept_id)]
        return []

    def _ends(self, stream: str, p: int) -> list[tuple[int, str]]:
        """Every form that starts at stream[p]: (end in the stream, concept), shortest first."""
        ends = []
        node: dict[str, Any] | None = self._root
        for q in range(p, len(stream)):
            node = node.get(stream[q]) if node is not None else None
            if node is None:
                break
            if _END in node:
                ends.append((q + 1, node[_END]))
        return ends


def _fold(char: str) -> str:
    if char in _SKIPPED:
        return ""
    return unicodedata.normalize("NFKC", char).lower().replace(" ", "")


def _stream(text: str) -> tuple[str, list[int]]:
    """The text as the trie reads it, with the index in `text` of every character kept."""
    lowered = text.lower()
    if len(lowered) != len(text) or not unicodedata.is_normalized("NFKC", text):
        return _stream_slowly(text)
    chars: list[str] = []
    origin: list[int] = []
    for run in _KEPT.finditer(lowered):
        chars.append(run[0])
        origin.extend(range(run.start(), run.end()))
    return "".join(chars), origin


def _stream_slowly(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _fold(char)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _word_start(text: str, i: int) -> int:
    """Where the eojeol holding text[i] starts; a hyphen between letters joins (항-종양)."""
    while i > 0 and (text[i - 1].isalnum() or _joining_hyphen(text, i - 1)):
        i -= 1
    return i


def _joining_hyphen(text: str, i: int) -> bool:
    return text[i] == "-" and i > 0 and text[i - 1].isalnum()


def _word_end(text: str, i: int) -> int:
    while i < len(text) and text[i].isalnum():
        i += 1
    return i


def _pieces(surface: str, length: int) -> tuple[int, int]:
    """How much of a match lies in its first and in its last eojeol: a match across a space is
    judged by those parts, so 과민 증세 is not 과민증 (the last part, 증, is one character)."""
    if surface.isalnum():  # the common case, and what follows would find one word
        return length, length
    words = [w for w in "".join(c if c.isalnum() else " " for c in surface).split()]
    if len(words) <= 1:
        return length, length
    return len(words[0]), len(words[-1])


def _start_ok(text: str, start: int, length: int) -> bool:
    before = text[_word_start(text, start) : start]
    if not before:
        return True
    if before.rstrip("-") in NEGATIONS:
        return False
    return length >= 3 or (length == 2 and before.endswith(MODIFIERS))


def _end_ok(text: str, end: int, length: int) -> bool:
    if length >= 3:
        return True
    after = text[end : _word_end(text, end)]
    if not after:
        return True
    if length == 2:
        return after.startswith((*PARTICLES, *NOUNS_AFTER_TWO)) or _suffixed(after)
    return after in PARTICLES or after.startswith(NOUNS_AFTER_ANY)


def _suffixed(after: str) -> bool:
    return after[:1] in SUFFIXES and (len(after) == 1 or after[1:].startswith(PARTICLES))
