"""Reads a ClinicalTrials.gov list to the end with the ctgov source, keeping no study, and
prints one JSON line: the studies read and the process's peak RSS. `test_ctgov_memory` runs it
in a process of its own, so the peak is the reading's alone. Usage:
    python -m tests.indexer.ctgov_reader <base URL of the studies> <page size>"""

from __future__ import annotations

import asyncio
import json
import sys

import aiohttp

from indexer.http import HttpOptions, RegistryClient
from indexer.sources.ctgov import CtgovSource
from testkit.peak_memory import peak_rss_kb


async def read(url: str, per_page: int) -> int:
    async with aiohttp.ClientSession() as session:
        client = RegistryClient("ctgov", session, HttpOptions(timeout_s=120.0, retries=0))
        source = CtgovSource(client, url, "", per_page=per_page)  # the whole registry
        studies = 0
        async for _study in source.fetch():
            studies += 1
        return studies


if __name__ == "__main__":
    studies = asyncio.run(read(sys.argv[1], int(sys.argv[2])))
    print(json.dumps({"studies": studies, "max_rss_kb": peak_rss_kb()}))
