"""Closed-loop load: N workers each send one request after another for a fixed time."""

from __future__ import annotations

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
    p50_ms: float
    p99_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


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
    elapsed = time.perf_counter() - started
    return Stats(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
    )
