"""python -m bench.concepts [--data DIR] [--titles N]: coverage of the recorded data by the
vocabulary, and matcher throughput on N titles."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.concepts import coverage, throughput
from bench.concepts.recorded import DEFAULT_ROOT
from trials.concepts.matcher import Matcher
from trials.concepts.vocabulary import load


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.concepts", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_ROOT, help="icreat/ cris/ ctgov/ root")
    parser.add_argument("--titles", type=int, default=60_000)
    args = parser.parse_args()
    vocabulary = load()
    print(f"vocabulary: {len(vocabulary)} concepts; data: {args.data}")
    shares, leftovers = coverage.report(args.data, vocabulary, Matcher(vocabulary))
    for share in shares:
        print(share.line())
    print("ctgov conditions with no concept:", *leftovers, sep="\n  ")
    print(*throughput.measure(args.data, vocabulary, args.titles).lines(), sep="\n")


if __name__ == "__main__":
    main()
