"""The judged queries (`judged.toml`) as values, and where each direction is searched."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Direction = Literal["ko-en", "en-ko", "ko", "en"]
CROSS: tuple[Direction, ...] = ("ko-en", "en-ko")
SAME: tuple[Direction, ...] = ("ko", "en")
# Cross-lingual queries search the registry the other language lives in (see judged.toml)
SCOPE: dict[Direction, tuple[str, ...]] = {
    "ko-en": ("ctgov",),
    "en-ko": ("icreat",),
    "ko": (),
    "en": (),
}
# Where a relevant record of each direction must come from
RELEVANT_SOURCES: dict[Direction, tuple[str, ...]] = {
    "ko-en": ("ctgov",),
    "en-ko": ("icreat",),
    "ko": ("icreat", "cris"),
    "en": ("cris", "ctgov"),
}
FILE = Path(__file__).with_name("judged.toml")


@dataclass(frozen=True)
class Judged:
    q: str
    direction: Direction
    relevant: dict[str, str]  # record id → why it is relevant


def load() -> list[Judged]:
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    return [
        Judged(q["q"], q["direction"], {doc_id: why for doc_id, why in q["relevant"]})
        for q in data["query"]
    ]


def recall_at_10(ranked: list[str], relevant: dict[str, str]) -> float:
    """Relevant records in the first 10, out of as many as 10 places can hold."""
    return len(set(ranked[:10]) & set(relevant)) / min(10, len(relevant))
