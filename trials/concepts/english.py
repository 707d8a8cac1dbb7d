"""English (and any Latin-script) mentions: text becomes word tokens, each normalised the same
way for the text and for the vocabulary's forms — case folded, accents dropped, British spelling
made American, plurals folded — so a form matches a run of whole tokens, never part of a word.
Abbreviations are indexed apart and compared in their exact case ("AF" yes, "af" no).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F\u2070-\u209F]+")  # Latin, with sub- and superscripts
# Between two tokens of one mention only spacing and light punctuation may stand ("non-small-cell",
# "Carcinoma, Non-Small-Cell Lung", "H. pylori"); a bracket, a colon or a Hangul word breaks it.
_HARD_GAP = re.compile("[^ \t\r\n\\-‐‑–—/,.'’_+]")
_APOSTROPHES = frozenset("'’")
_SPELLING = (
    ("aemi", "emi"),
    ("haem", "hem"),
    ("oesoph", "esoph"),
    ("oedem", "edem"),
    ("paed", "ped"),
    ("anaesth", "anesth"),
    ("tumour", "tumor"),
    ("coeli", "celi"),
    ("oestr", "estr"),
    ("foet", "fet"),
    ("rrhoea", "rrhea"),
    ("pnoea", "pnea"),
    ("gynaec", "gynec"),
    ("caes", "ces"),
    ("behaviour", "behavior"),
    ("disk", "disc"),
)
_LETTERS = re.compile("[A-Za-z]")
_CAPITALS = re.compile("[A-Z]")
# A mention right after these is its opposite: "non-cardiac surgery" is no cardiac surgery.
_NEGATING = frozenset({"non", "anti"})
# In text written all in capitals these abbreviations are ordinary words ("IN ALL PATIENTS").
_WORDS_WHEN_SHOUTING = frozenset({"ALL", "MM", "NET", "BED", "PET", "GIST", "CAD", "MI", "TB"})


Trie = dict[str, Any]  # token -> subtrie; _END -> the concept of the tokens so far
Span = tuple[int, int, str]
_END = ""  # no token is empty


@dataclass(frozen=True, slots=True)
class Token:
    raw: str
    key: str
    start: int
    end: int
    joined: bool  # only a soft gap separates it from the token before


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if match[0] in ("s", "S") and start > 0 and text[start - 1] in _APOSTROPHES:
            previous_end = end  # possessive: "Crohn's disease" reads as "Crohn disease"
            continue
        gap = text[previous_end:start]
        joined = bool(found) and (gap == " " or _HARD_GAP.search(gap) is None)
        found.append(Token(match[0], token_key(match[0]), start, end, joined))
        previous_end = end
    return found


@lru_cache(maxsize=65536)
def token_key(raw: str) -> str:
    word = unicodedata.normalize("NFKD", raw.lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    for british, american in _SPELLING:
        if british in word:
            word = word.replace(british, american)
    return _singular(word)


def _singular(word: str) -> str:
    """A crude, consistent plural fold; it only has to map a form and its text to one key."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oses", "ises")) or (word.endswith("ases") and not word.endswith("eases")):
        word = word[:-2] + "is"
    return word[:-1]


def form_keys(form: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(form))


class EnglishIndex:
    """Forms as a trie of token keys; abbreviations as a trie of tokens in their exact case."""

    def __init__(
        self, forms: Iterable[tuple[str, str]], abbreviations: Iterable[tuple[str, str]]
    ) -> None:
        self._forms = _trie((form_keys(f), cid) for f, cid in forms)
        self._abbreviations = _trie(
            (variant, cid) for a, cid in abbreviations for variant in _written(_raw(a))
        )

    def find(self, text: str) -> Iterator[Span]:
        """(start, end, concept id) of the longest form or abbreviation at each token."""
        found = tokens(text)
        for i, token in enumerate(found):
            negated = i > 0 and token.joined and found[i - 1].key in _NEGATING
            if token.key in self._forms and not negated:
                yield from _longest(found, i, self._forms, raw=False)
            if token.raw in self._abbreviations:
                for start, end, cid in _longest(found, i, self._abbreviations, raw=True):
                    if not _code_like(text, end) and not (
                        text[start:end] in _WORDS_WHEN_SHOUTING and _shouting(text)
                    ):
                        yield start, end, cid


def _raw(abbreviation: str) -> tuple[str, ...]:
    return tuple(t.raw for t in tokens(abbreviation))


def _written(raw: tuple[str, ...]) -> list[tuple[str, ...]]:
    """An abbreviation as written, and capitalised when it starts in lower case (nr-axSpA at the
    start of a title is Nr-axSpA); all-capital ones only as they are (AF, never Af or af)."""
    if not raw or not raw[0][:1].islower():
        return [raw]
    return [raw, (raw[0][:1].upper() + raw[0][1:], *raw[1:])]


def _trie(entries: Iterable[tuple[tuple[str, ...], str]]) -> Trie:
    root: Trie = {}
    for keys, concept_id in entries:
        if keys:
            node = root
            for k in keys:
                node = node.setdefault(k, {})
            node[_END] = concept_id
    return root


def _longest(found: list[Token], i: int, root: Trie, *, raw: bool) -> list[Span]:
    """The longest run of joined tokens from `found[i]` that spells a whole entry."""
    node: Trie | None = root
    best = None
    for j in range(i, len(found)):
        token = found[j]
        if j > i and not token.joined:
            break
        node = node.get(token.raw if raw else token.key) if node is not None else None
        if node is None:
            break
        if _END in node:
            best = (found[i].start, token.end, node[_END])
    return [best] if best else []


def _code_like(text: str, end: int) -> bool:
    """An abbreviation glued to a number is a product code (GDM-001), not the abbreviation."""
    return text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()


def _shouting(text: str) -> bool:
    letters = len(_LETTERS.findall(text))
    return letters >= 12 and len(_CAPITALS.findall(text)) >= 0.8 * letters
