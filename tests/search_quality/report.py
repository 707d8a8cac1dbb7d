"""Prints what the recall tests assert, as figures: Recall@10 of the judged queries in each
direction, with expansion and without (today's ranking), over the recorded records of all three
registries synced into indices of their own on the node of TRIALS_ES_URL (deleted after).
Usage: .venv/bin/python -m tests.search_quality.report"""

from __future__ import annotations

import asyncio
import uuid
from statistics import mean

from testkit.recorded_sync import index_recorded
from tests.search_quality.judged import CROSS, SAME
from tests.search_quality.test_recall import JUDGED, recalls
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings


async def report() -> None:
    settings = Settings.from_env()
    es = make_client(settings)
    prefix = f"sq-report-{uuid.uuid4().hex[:6]}-"
    try:
        alias = Names.from_settings(await index_recorded(es, settings, prefix)).trials
        print("direction  queries  recall@10 expanded  without  first page, unscoped")
        for direction in (*CROSS, *SAME):
            expanded = await recalls(es, alias, direction, expand=True)
            today = await recalls(es, alias, direction, expand=False)
            unscoped = await recalls(es, alias, direction, expand=True, scoped=False)
            shown = sum(1 for r in unscoped.values() if r > 0) / len(unscoped)
            lost = sum(1 for q in today if expanded[q] < today[q])
            print(
                f"{direction:<9}  {len(expanded):>7}  {mean(expanded.values()):>18.3f}  "
                f"{mean(today.values()):>7.3f}  {shown:>20.2f}"
                + (f"  ({lost} queries lose recall)" if direction in SAME else "")
            )
        print(f"{len(JUDGED)} judged queries in tests/search_quality/judged.toml")
    finally:
        await es.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
        await es.close()


if __name__ == "__main__":
    asyncio.run(report())
