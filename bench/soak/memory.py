"""Resident memory of child processes, sampled from /proc while the soak runs."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path


def rss_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


@dataclass
class Samples:
    name: str
    pid: int
    points: list[tuple[float, int]] = field(default_factory=list)  # (seconds in, kB)

    def peak_between(self, start_s: float, end_s: float) -> int:
        inside = [kb for t, kb in self.points if start_s <= t < end_s]
        return max(inside) if inside else 0

    def growth(self, warmup_s: float, window_s: float, end_s: float) -> tuple[int, int, float]:
        """Peak RSS in the window right after warm-up, peak in the last window, and the
        growth between them. Peaks per window, because a sync's working set comes and goes."""
        after_warmup = self.peak_between(warmup_s, warmup_s + window_s)
        last = self.peak_between(end_s - window_s, end_s + 1)
        return after_warmup, last, (last / after_warmup - 1) if after_warmup else float("nan")


async def sample(series: list[Samples], every_s: float, stop: asyncio.Event) -> None:
    began = time.monotonic()
    while not stop.is_set():
        for one in series:
            kb = rss_kb(one.pid)
            if kb is not None:
                one.points.append((time.monotonic() - began, kb))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
