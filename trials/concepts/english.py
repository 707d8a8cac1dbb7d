"""English (and any Latin-script) mentions: text becomes word tokens, each normalised the same
way for the text and for the vocabulary's forms — case folded, accents dropped, British spelling
made American, plurals folded — so a form matches a run of whole tokens, never part of a word.
Abbreviations are indexed apart and compared in their exact case ("AF" yes, "af" no).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
class Tokens:
    """A text's tokens as parallel lists: one object a text rather than one a token, since
    every title, condition and intervention of a sync is cut into tokens."""

    raw: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    joined: list[bool] = field(default_factory=list)  # only a soft gap before it


def tokens(text: str) -> Tokens:
    found = Tokens()
    end = 0
    for raw in _TOKEN.findall(text):
        # only the gap stands between the last token and this one, and it holds no token
        # character: the first `raw` from there is where the pattern found it
        gap_from, start = end, text.find(raw, end)
        end = start + len(raw)
        if (raw == "s" or raw == "S") and start > 0 and text[start - 1] in _APOSTROPHES:
            continue  # possessive: "Crohn's disease" reads as "Crohn disease"
        gap = text[gap_from:start]
        found.joined.append(bool(found.raw) and (gap == " " or _HARD_GAP.search(gap) is None))
        found.raw.append(raw)
        found.key.append(token_key(raw))
        found.start.append(start)
        found.end.append(end)
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
    return tuple(tokens(form).key)


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
        keys, raws, joined = found.key, found.raw, found.joined
        for i, key in enumerate(keys):
            negated = i > 0 and joined[i] and keys[i - 1] in _NEGATING
            if key in self._forms and not negated:
                yield from _longest(found, keys, i, self._forms)
            if raws[i] in self._abbreviations:
                for start, end, cid in _longest(found, raws, i, self._abbreviations):
                    if not _code_like(text, end) and not (
                        text[start:end] in _WORDS_WHEN_SHOUTING and _shouting(text)
                    ):
                        yield start, end, cid


def _raw(abbreviation: str) -> tuple[str, ...]:
    return tuple(tokens(abbreviation).raw)


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


def _longest(found: Tokens, names: list[str], i: int, root: Trie) -> list[Span]:
    """The longest run of joined tokens from the i-th that spells a whole entry, reading each
    token as `names` has it (its key, or as written)."""
    node: Trie | None = root
    best = None
    for j in range(i, len(names)):
        if j > i and not found.joined[j]:
            break
        node = node.get(names[j]) if node is not None else None
        if node is None:
            break
        if _END in node:
            best = (found.start[i], found.end[j], node[_END])
    return [best] if best else []


def _code_like(text: str, end: int) -> bool:
    """An abbreviation glued to a number is a product code (GDM-001), not the abbreviation."""
    return text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()


def _shouting(text: str) -> bool:
    letters = len(_LETTERS.findall(text))
    return letters >= 12 and len(_CAPITALS.findall(text)) >= 0.8 * letters
