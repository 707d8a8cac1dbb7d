"""Throughput: the matcher over N typical titles (the recorded titles of all three registries,
repeated until there are N), timed in this process."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path

from bench.concepts.recorded import cris_titles, ctgov_titles, icreat_titles
from trials.concepts.matcher import Matcher
from trials.concepts.vocabulary import Vocabulary


@dataclass(frozen=True)
class Throughput:
    build_seconds: float
    titles: int
    seconds: float
    matches: int

    def lines(self) -> list[str]:
        return [
            f"matcher built in {self.build_seconds * 1000:.0f} ms",
            f"{self.titles} titles in {self.seconds:.2f} s: {self.titles / self.seconds:,.0f} "
            f"titles/s, {self.matches / self.seconds:,.0f} matches/s "
            f"({self.matches / self.titles:.2f} matches per title)",
        ]


def titles(root: Path, count: int) -> list[str]:
    recorded = [*ctgov_titles(root), *cris_titles(root), *icreat_titles(root)]
    return list(itertools.islice(itertools.cycle(recorded), count))


def measure(root: Path, vocabulary: Vocabulary, count: int) -> Throughput:
    started = time.perf_counter()
    matcher = Matcher(vocabulary)
    built = time.perf_counter() - started
    corpus = titles(root, count)
    started = time.perf_counter()
    matches = sum(len(matcher.find(t)) for t in corpus)
    return Throughput(built, len(corpus), time.perf_counter() - started, matches)
