"""Mixed API traffic for the soak: searches (Korean, English, filters, facets), recent
changes, trial details, cursor walks, the sync log, versions, a few deliberately bad requests,
and now and then an admin POST that starts a run inside the service."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
import orjson

QUERIES = ("위암", "당뇨병", "고혈압 환자", "Gastric Cancer", "cohort", "서울대학교병원", "천식")
BAD = (
    "/api/v1/trials?limit=0",
    "/api/v1/trials?updated_from=2026-13-45",
    "/api/v1/trials?cursor=forged.cursor",
    "/api/v1/trials?phase=phase_99",
)


@dataclass
class Tally:
    by_status: Counter[int] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)  # transport errors, by type
    fivexx: list[str] = field(default_factory=list)  # the first few, for the report
    latencies: list[float] = field(default_factory=list)

    def note(self, kind: str, url: str, status: int, seconds: float) -> None:
        self.by_status[status] += 1
        self.by_kind[kind] += 1
        self.latencies.append(seconds)
        if status >= 500 and len(self.fivexx) < 20:
            self.fivexx.append(f"{status} {url}")


@dataclass
class Traffic:
    http: aiohttp.ClientSession
    api: str
    admin_token: str
    ids: Callable[[], list[str]]
    tally: Tally = field(default_factory=Tally)

    async def _get(self, kind: str, path: str) -> dict[str, object] | None:
        started = time.perf_counter()
        try:
            async with self.http.get(self.api + path) as response:
                body = await response.read()
                self.tally.note(kind, path, response.status, time.perf_counter() - started)
                ok = response.status == 200 and response.content_type == "application/json"
                return orjson.loads(body) if ok else None
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.errors[type(exc).__name__] += 1
            return None

    async def one(self, rng: random.Random) -> None:
        roll = rng.random()
        q = rng.choice(QUERIES)
        if roll < 0.35:
            extra = rng.choice(("", "&phase=phase_3", "&source=icreat", "&sort=changed_at"))
            await self._get("search", f"/api/v1/trials?q={q}{extra}")
        elif roll < 0.45:
            await self._get("filter", "/api/v1/trials?source=icreat&department=Oncology&limit=50")
        elif roll < 0.60:
            ids = self.ids()
            await self._get("detail", f"/api/v1/trials/{rng.choice(ids)}" if ids else "/health")
        elif roll < 0.70:
            await self._get("recent", "/api/v1/trials/recent?change=updated&limit=50")
        elif roll < 0.78:
            await self._walk(q)
        elif roll < 0.86:
            await self._get("sync-runs", "/api/v1/sync-runs?limit=10")
        elif roll < 0.92:
            await self._get("version", rng.choice(("/api/v1/version", "/ready", "/health")))
        else:
            await self._get("bad", rng.choice(BAD))

    async def _walk(self, q: str) -> None:
        page = await self._get("cursor", f"/api/v1/trials?q={q}&cursor=*&limit=20")
        for _ in range(2):
            cursor = page.get("next_cursor") if page else None
            if not cursor:
                return
            page = await self._get("cursor", f"/api/v1/trials?cursor={cursor}&limit=20")

    async def admin(self) -> None:
        """Start a demo run through the service's own launcher (202, or 409 if one runs)."""
        started = time.perf_counter()
        headers = {"Authorization": f"Bearer {self.admin_token}"}
        try:
            async with self.http.post(
                self.api + "/api/v1/sync-runs", json={"sources": ["demo"]}, headers=headers
            ) as response:
                await response.read()
                seconds = time.perf_counter() - started
                self.tally.note("admin", "POST sync-runs", response.status, seconds)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.errors[type(exc).__name__] += 1


async def drive(traffic: Traffic, workers: int, think_s: float, stop: asyncio.Event) -> None:
    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            await traffic.one(rng)
            await asyncio.sleep(think_s)

    async def admin_every(seconds: float) -> None:
        while not stop.is_set():
            await traffic.admin()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

    await asyncio.gather(*(worker(i) for i in range(workers)), admin_every(90.0))
