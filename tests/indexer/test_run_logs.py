"""The logs of sync runs, as `trials` writes them (JSON lines through trials.logs): every line
of a run carries its `run_id` and `source`, whichever logger wrote it, and each run ends with
exactly one summary line holding its status and counts."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer.run import RunOptions, run_sources
from tests.indexer.conftest import FAST_HTTP, Env
from trials.indices import ensure_indices
from trials.logs import configure_logging
from trials.model import utc_iso


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = configure_logging("info", "json", stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def _plant_dead_run(env: Env, source: str) -> None:
    """A run that died long ago: the next run closes it and says so in a warning."""
    old = utc_iso(datetime.now(UTC) - timedelta(hours=2))
    ghost = {"run_id": f"{source}-ghost", "source": source, "trigger": "cli", "full": False}
    ghost.update(status="running", started_at=old, heartbeat_at=old)
    await env.es.index(index=env.names.sync_log, id=ghost["run_id"], document=ghost, refresh=True)


async def test_every_line_of_a_run_names_it_and_each_run_ends_with_one_summary(
    env: Env, json_logs: io.StringIO
) -> None:
    await ensure_indices(env.es, env.settings)
    for source in ("demo", "icreat"):
        await _plant_dead_run(env, source)
    logging.getLogger("test.outside").info("not a run's line")
    options = RunOptions(http=FAST_HTTP, demo_count=40)
    results = await run_sources(env.es, env.settings, ["demo", "icreat"], options)

    lines = _lines(json_logs)
    during = [line for line in lines if line["logger"] != "test.outside"]
    assert len(during) >= 4  # two warnings about the dead runs, two summaries
    for line in during:
        assert line["run_id"].startswith(line["source"] + "-"), line
    assert "run_id" not in next(line for line in lines if line["logger"] == "test.outside")
    for result in results:
        assert not isinstance(result, BaseException)
        own = [line for line in during if line["run_id"] == result.run_id]
        assert any("closed dead run" in line["message"] for line in own)
        (summary,) = [line for line in own if line.get("event") == "sync_run"]
        assert summary is own[-1]  # the run's last line
        assert (summary["source"], summary["status"]) == (result.source, "completed")
        assert summary["counts"] == result.counts.as_dict()
        assert summary["duration_ms"] >= 0
        assert summary["message"].startswith(f"sync of {result.source} completed in ")


async def test_a_failed_run_summary_is_a_warning_with_the_reason(
    env: Env, json_logs: io.StringIO
) -> None:
    env.state.faults.status_500 = 100  # every retry fails: the source is down
    result = await env.run("icreat")
    assert result.status == "failed"
    summaries = [line for line in _lines(json_logs) if line.get("event") == "sync_run"]
    assert [(s["level"], s["status"], s["run_id"]) for s in summaries] == [
        ("warning", "failed", result.run_id)
    ]
    assert str(result.message) in summaries[0]["message"]
