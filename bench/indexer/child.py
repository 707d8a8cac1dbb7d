"""One sync run in its own process, so its peak RSS is its own: prints a JSON line with the
run's duration, counts, peak RSS and the trials index's write counter. `no-history` as the
second argument runs the same sync writing no history (the baseline of history's cost)."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

import indexer.run
from indexer.run import RunOptions, run_source
from indexer.sink import Sink
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings


class NoHistorySink(Sink):
    """The run's sink with no history alias: it writes the trials alone."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **{**kwargs, "history": None})  # type: ignore[arg-type]


async def main(page_size: int, history: bool = True) -> dict[str, object]:
    if not history:
        indexer.run.Sink = NoHistorySink  # type: ignore[misc]
    settings = Settings.from_env()
    es = make_client(settings)
    try:
        started = time.perf_counter()
        result = await run_source(es, settings, "icreat", RunOptions(page_size=page_size))
        elapsed = time.perf_counter() - started
        alias = Names.from_settings(settings).trials
        stats = await es.indices.stats(index=alias, metric="indexing")
        writes = sum(i["primaries"]["indexing"]["index_total"] for i in stats["indices"].values())
        await es.indices.refresh(index=Names.from_settings(settings).history)
        kept = await es.count(index=Names.from_settings(settings).history)
    finally:
        await es.close()
    return {
        "status": result.status,
        "message": result.message,
        "seconds": elapsed,
        "counts": result.counts.as_dict(),
        "index_total": writes,
        "history_docs": kept["count"],
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(int(sys.argv[1]), sys.argv[2:] != ["no-history"]))))
