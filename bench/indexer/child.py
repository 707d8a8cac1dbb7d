"""One sync run in its own process, so its peak RSS is its own: prints a JSON line with the
run's duration, counts, peak RSS and the trials index's write counter."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

from indexer.run import RunOptions, run_source
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings


async def main(page_size: int) -> dict[str, object]:
    settings = Settings.from_env()
    es = make_client(settings)
    try:
        started = time.perf_counter()
        result = await run_source(es, settings, "icreat", RunOptions(page_size=page_size))
        elapsed = time.perf_counter() - started
        alias = Names.from_settings(settings).trials
        stats = await es.indices.stats(index=alias, metric="indexing")
        writes = sum(i["primaries"]["indexing"]["index_total"] for i in stats["indices"].values())
    finally:
        await es.close()
    return {
        "status": result.status,
        "message": result.message,
        "seconds": elapsed,
        "counts": result.counts.as_dict(),
        "index_total": writes,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(int(sys.argv[1])))))
