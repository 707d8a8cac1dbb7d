"""The gzip row: the plain search through the API asked with `Accept-Encoding: identity` and
with `gzip`, in interleaved rounds: bytes on the wire per response, and the serving process's
CPU time per request (from /proc/<pid>/stat, so the load generator's own work is not in it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.service.corpus import QUERIES
from bench.service.load import Request, Stats, hammer

ENCODINGS = ("identity", "gzip")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Side:
    stats: Stats | None = None
    cpu: float = 0.0
    bytes: int = 0

    @property
    def requests(self) -> int:
        return self.stats.requests if self.stats else 0


async def measure(
    http: aiohttp.ClientSession,
    api: str,
    pid: int,
    *,
    concurrency: int,
    seconds: float,
    rounds: int,
) -> dict[str, Side]:
    sides = {encoding: Side() for encoding in ENCODINGS}

    def call(encoding: str) -> Request:
        async def search(n: int) -> None:
            params = {"q": QUERIES[n % len(QUERIES)], "limit": "20"}
            headers = {"Accept-Encoding": encoding}
            url = f"{api}/api/v1/trials"
            async with http.get(url, params=params, headers=headers, auto_decompress=False) as r:
                body = await r.read()
                if r.status != 200:
                    raise RuntimeError(f"{r.url}: HTTP {r.status}")
                sides[encoding].bytes += len(body)

        return search

    for encoding in ENCODINGS:  # warm up
        await hammer(call(encoding), concurrency=concurrency, seconds=1)
        sides[encoding] = Side()
    for _ in range(rounds):
        for encoding, side in sides.items():
            before = cpu_seconds(pid)
            stats = await hammer(call(encoding), concurrency=concurrency, seconds=seconds / rounds)
            side.cpu += cpu_seconds(pid) - before
            side.stats = side.stats + stats if side.stats else stats
    return sides


def report(sides: dict[str, Side]) -> str:
    plain, packed = sides["identity"], sides["gzip"]
    assert plain.stats is not None
    assert packed.stats is not None
    per = {name: side.bytes / side.requests for name, side in sides.items()}
    cpu = {name: side.cpu * 1000 / side.requests for name, side in sides.items()}
    return (
        f"\ngzip (search through the API, Accept-Encoding identity vs gzip): "
        f"{per['identity'] / 1024:.1f} KiB -> {per['gzip'] / 1024:.1f} KiB a response "
        f"({1 - per['gzip'] / per['identity']:.0%} saved); server CPU {cpu['identity']:.2f} -> "
        f"{cpu['gzip']:.2f} ms a request (+{cpu['gzip'] - cpu['identity']:.2f} ms); "
        f"{plain.stats.throughput:.0f} -> {packed.stats.throughput:.0f} req/s"
    )
