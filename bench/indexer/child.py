"""One sync run in its own process, so its peak RSS is its own: prints a JSON line with the
run's duration, counts, peak RSS and the trials index's write counter. Arguments: the page
size, then any of `no-history` (the same sync writing no history: the baseline of history's
cost), `full` (read the whole registry, not only what changed) and `source=NAME` (default
icreat). `sync_child` starts it and reads that line."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import indexer.run
from indexer.run import RunOptions, run_source
from indexer.sink import Sink
from testkit.peak_memory import peak_rss_kb
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings


class NoHistorySink(Sink):
    """The run's sink with no history alias: it writes the trials alone."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **{**kwargs, "history": None})  # type: ignore[arg-type]


async def sync_child(env: dict[str, str], page_size: int, *flags: str) -> dict[str, Any]:
    """Run this module with `env` (TRIALS_* settings) and `flags`; its result, once the run
    completed (anything else raises)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.indexer.child",
        str(page_size),
        *flags,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"sync child exited {child.returncode}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    if result["status"] != "completed":
        raise RuntimeError(f"sync did not complete: {result}")
    return result


async def main(
    page_size: int, history: bool = True, source: str = "icreat", full: bool = False
) -> dict[str, object]:
    if not history:
        indexer.run.Sink = NoHistorySink  # type: ignore[attr-defined]
    settings = Settings.from_env()
    es = make_client(settings)
    try:
        started = time.perf_counter()
        result = await run_source(es, settings, source, RunOptions(full=full, page_size=page_size))
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
        "max_rss_kb": peak_rss_kb(),
    }


if __name__ == "__main__":
    flags = sys.argv[2:]
    named = [f.removeprefix("source=") for f in flags if f.startswith("source=")]
    source = named[-1] if named else "icreat"
    ran = main(int(sys.argv[1]), "no-history" not in flags, source, full="full" in flags)
    print(json.dumps(asyncio.run(ran)))
