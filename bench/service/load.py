"""Closed-loop load: N workers each send one request after another for a fixed time."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Request = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Stats:
    requests: int
    seconds: float
    latencies: tuple[float, ...]  # seconds, one per request

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(list(self.latencies), 0.99) * 1000

    def __add__(self, other: Stats) -> Stats:
        """Two runs of the same request as one (rounds interleaved with other requests)."""
        return Stats(
            self.requests + other.requests,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def hammer(request: Request, *, concurrency: int, seconds: float) -> Stats:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(first: int) -> None:
        n = first
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await request(n)
            latencies.append(time.perf_counter() - t0)
            n += concurrency

    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return Stats(len(latencies), time.perf_counter() - started, tuple(latencies))


async def interleaved(
    requests: dict[str, Request], *, concurrency: int, seconds: float, rounds: int
) -> dict[str, Stats]:
    """Each request for `seconds` in all, in `rounds` turns taken one after another, so a
    change in the machine's load (it is shared) falls on every request alike."""
    totals: dict[str, Stats] = {}
    for _ in range(rounds):
        for name, request in requests.items():
            stats = await hammer(request, concurrency=concurrency, seconds=seconds / rounds)
            totals[name] = totals[name] + stats if name in totals else stats
    return totals


def add_load_options(
    parser: argparse.ArgumentParser, *, seconds: float = 10.0, rounds: int = 3
) -> None:
    """The options every service benchmark takes: the corpus, the load and its rounds."""
    parser.add_argument("--docs", type=int, default=60_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument(
        "--rounds", type=int, default=rounds, help="turns each row's requests take (interleaved)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench indices")
