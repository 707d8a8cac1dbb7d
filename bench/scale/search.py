"""Search latency through the API (`trials serve` in a child process, as in production): one
fixed mix of searches on the generated CT.gov studies, the same at every size, sent by a few
closed-loop clients (bench.service.load) after a warm-up."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from bench.service.load import Stats, hammer
from testkit.elastic_node import free_port
from testkit.served import serve_ready
from trials.settings import Settings

# English words of the recorded conditions, Korean ones found through the concepts, filters
# (status, country, age, phase) and a geo search: what the API's users ask of CT.gov data
QUERIES: tuple[dict[str, str], ...] = (
    {"q": "leukemia"},
    {"q": "degenerative disc disease"},
    {"q": "lumbar disc herniation", "status": "recruiting"},
    {"q": "acute myeloid leukemia"},
    {"q": "low back pain", "age": "45"},
    {"q": "SARS-CoV-2"},
    {"q": "백혈병"},
    {"q": "림프종", "country": "KR"},
    {"q": "spinal stenosis", "status": "completed"},
    {"country": "JP", "status": "recruiting"},
    {"q": "magnetic resonance imaging", "sex": "female"},
    {"near": "37.5665,126.978", "within_km": "50"},
)
PAGES = 5  # each search is asked for its first five pages of LIMIT, in turn
LIMIT = 20


@dataclass(frozen=True)
class Latency:
    concurrency: int
    seconds: float
    stats: Stats


def query(n: int) -> dict[str, str]:
    """Request `n` of the mix: every search in turn, then their next page."""
    page = (n // len(QUERIES)) % PAGES
    return {**QUERIES[n % len(QUERIES)], "limit": str(LIMIT), "offset": str(page * LIMIT)}


async def latency(settings: Settings, concurrency: int, seconds: float, warmup: float) -> Latency:
    """The mix through a `trials serve` of `settings` (its node(s) and prefix)."""
    port = free_port()
    api = await serve_ready(settings, port, asyncio.subprocess.DEVNULL)
    try:
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}/api/v1/trials"

            async def search(n: int) -> None:
                async with http.get(url, params=query(n)) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{response.url}: HTTP {response.status}")

            await hammer(search, concurrency=concurrency, seconds=warmup)
            stats = await hammer(search, concurrency=concurrency, seconds=seconds)
    finally:
        api.terminate()
        await api.wait()
    return Latency(concurrency, seconds, stats)
