"""English (and any Latin-script) mentions: text becomes word tokens, each normalised the same
way for the text and for the vocabulary's forms — case folded, accents dropped, British spelling
made American, plurals folded — so a form matches a run of whole tokens, never part of a word.
Abbreviations are indexed apart and compared in their exact case ("AF" yes, "af" no).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+")
# Between two tokens of one mention only spacing and light punctuation may stand ("non-small-cell",
# "Carcinoma, Non-Small-Cell Lung", "H. pylori"); a bracket, a colon or a Hangul word breaks it.
_SOFT_GAP = frozenset(" \t\r\n-‐‑–—/,.'’_+")
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
# A mention right after these is its opposite: "non-cardiac surgery" is no cardiac surgery.
_NEGATING = frozenset({"non", "anti"})
# In text written all in capitals these abbreviations are ordinary words ("IN ALL PATIENTS").
_WORDS_WHEN_SHOUTING = frozenset({"ALL", "MM", "NET", "BED", "PET", "GIST", "CAD", "MI", "TB"})


Entry = tuple[tuple[str, ...], str]  # the token keys of a form, and its concept
Index = dict[str, list[Entry]]
Span = tuple[int, int, str]


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
        joined = bool(found) and all(c in _SOFT_GAP for c in gap)
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


KeyOf = Callable[[Token], str]


class EnglishIndex:
    """Forms by their first token key; abbreviations by their first token, in exact case."""

    def __init__(
        self, forms: Iterable[tuple[str, str]], abbreviations: Iterable[tuple[str, str]]
    ) -> None:
        self._forms = _by_first(((form_keys(f), cid) for f, cid in forms))
        self._abbreviations = _by_first(
            (variant, cid) for a, cid in abbreviations for variant in _written(_raw(a))
        )

    def find(self, text: str) -> Iterator[Span]:
        """(start, end, concept id) of the longest form or abbreviation at each token."""
        found = tokens(text)
        shouting = _shouting(text)
        for i in range(len(found)):
            if i and found[i].joined and found[i - 1].key in _NEGATING:
                continue
            yield from _longest(found, i, self._forms, lambda t: t.key)
            for start, end, cid in _longest(found, i, self._abbreviations, lambda t: t.raw):
                if not _code_like(text, end) and not (
                    shouting and text[start:end] in _WORDS_WHEN_SHOUTING
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


def _by_first(entries: Iterable[Entry]) -> Index:
    index: Index = {}
    for keys, concept_id in entries:
        if keys:
            index.setdefault(keys[0], []).append((keys, concept_id))
    for candidates in index.values():
        candidates.sort(key=lambda entry: -len(entry[0]))
    return index


def _longest(found: list[Token], i: int, index: Index, key: KeyOf) -> list[Span]:
    for keys, concept_id in index.get(key(found[i]), ()):
        last = i + len(keys) - 1
        if last < len(found) and _run_matches(found, i, keys, key):
            return [(found[i].start, found[last].end, concept_id)]
    return []


def _run_matches(found: list[Token], i: int, keys: tuple[str, ...], key: KeyOf) -> bool:
    return all(
        key(found[i + k]) == keys[k] and (k == 0 or found[i + k].joined) for k in range(len(keys))
    )


def _code_like(text: str, end: int) -> bool:
    """An abbreviation glued to a number is a product code (GDM-001), not the abbreviation."""
    return text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isascii() and c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
