"""Suggestion keys: how a name and what is being typed are normalised alike, so a name is
found from the start of any of its words (당뇨 → 제2형 당뇨병, diab → Type 2 diabetes), with or
without the spaces (제2형당뇨), or by its 초성 (ㄷㄴㅂ → 당뇨병). Keys are computed here, by the
indexer for names and by the service for what is typed, because the local node has no
edge-ngram filter (no analysis-common module): every key's first `MAX_PREFIX` prefixes are
stored, so what is typed is one `terms` lookup; a longer input is a `prefix` query on the
keys themselves."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from trials.concepts.hangul import CHOSUNG, chosung, has_hangul

MAX_WORDS = 8  # word starts indexed per name: enough for any name typed from its middle
MAX_PREFIX = 12  # prefixes stored per key: what people type before they pick a suggestion
# NFKC turns the consonants keyboards type (compatibility jamo, ㄷ) into conjoining ones (ᄃ);
# 초성 keys are written in the keyboard's, so typed text is mapped back
_KEYBOARD_JAMO = str.maketrans(dict(zip(map(chr, range(0x1100, 0x1113)), CHOSUNG, strict=True)))
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-/,()·]+")


def normalised(text: str) -> str:
    """NFKC, lower case, one space between words (what a key and a typed prefix share)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def keys(names: Iterable[str]) -> list[str]:
    """Each name from the start of each of its first words, with and without spaces."""
    found: dict[str, None] = {}
    for name in names:
        for tail in _tails(normalised(name)):
            found[tail] = None
            found[tail.replace(" ", "")] = None
    return list(found)


def chosung_keys(names: Iterable[str]) -> list[str]:
    """The 초성 of the Korean keys, without spaces (ㅈ2ㅎㄷㄴㅂ, ㄷㄴㅂ)."""
    return list(dict.fromkeys(chosung(k) for k in keys(names) if " " not in k and has_hangul(k)))


def prefixes(keys: Iterable[str]) -> list[str]:
    """Every key's prefixes up to `MAX_PREFIX` characters (not ending in a space)."""
    found = {k[:n] for k in keys for n in range(1, min(len(k), MAX_PREFIX) + 1)}
    return sorted(p for p in found if not p.endswith(" "))


def typed_chosung(typed: str) -> str | None:
    """What a 초성 query asks for (ㄷㄴㅂ, ㄷ ㄴ ㅂ, ㅈ2ㅎ), without spaces; None when the text
    has no initial consonant or anything but consonants, digits and Latin letters."""
    compact = normalised(typed).translate(_KEYBOARD_JAMO).replace(" ", "")
    if not any(c in CHOSUNG for c in compact):
        return None
    if not all(c in CHOSUNG or (c.isascii() and c.isalnum()) for c in compact):
        return None
    return compact


def _tails(name: str) -> list[str]:
    """`name` from each word start: 제2형 당뇨병 → 제2형 당뇨병, 당뇨병."""
    starts = [0] + [m.end() for m in _SEPARATORS.finditer(name)]
    return [name[s:] for s in starts[:MAX_WORDS] if name[s:]]
