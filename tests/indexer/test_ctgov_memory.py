"""Reading the whole ClinicalTrials.gov registry keeps memory bounded: the source lets each page
go as its studies are yielded, so the reader's peak RSS over 25 pages of 1,000 generated
studies stays near that over 5 pages. A reader keeping every study measured 4.0 here (1,052
MiB / 263 MiB: about 40 MiB a page once parsed); this one 1.16-1.23, a difference that follows
the largest page read (generated pages weigh 11-12.5 MB of JSON) and the allocator's reuse of
freed page buffers."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from testkit.synthetic_ctgov import ctgov_study

PAGE = 1000
GROWTH_LIMIT = 1.5  # peak RSS over 25 pages / over 5 pages


async def _read(pages: int) -> dict[str, Any]:
    state = RegistryState(ctgov=GeneratedRows(pages * PAGE, make=ctgov_study))
    runner, base = await start_registry(state)
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.indexer.ctgov_reader",
            f"{base}/ctgov",
            str(PAGE),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await asyncio.wait_for(child.communicate(), 300)
    finally:
        await runner.cleanup()
    assert child.returncode == 0
    assert len(state.requests) == pages
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def test_peak_rss_of_reading_ctgov_does_not_grow_with_the_pages() -> None:
    few, many = await _read(5), await _read(25)
    assert (few["studies"], many["studies"]) == (5 * PAGE, 25 * PAGE)
    growth = many["max_rss_kb"] / few["max_rss_kb"]
    shown = f"{many['max_rss_kb'] // 1024} MiB / {few['max_rss_kb'] // 1024} MiB = {growth:.2f}"
    print(f"peak RSS reading 25 pages / 5 pages: {shown}")
    assert growth <= GROWTH_LIMIT
