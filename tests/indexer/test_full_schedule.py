"""Scheduled full reads (`TRIALS_FULL_SCHEDULE`): a registry read incrementally (ctgov) reads in
full when the full cron has fired since its last completed full read, so the studies removed
upstream are marked in every registry; the real sync log and node, the fake registry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch

from indexer.schedule import FULL_JOB_ID, JOB_ID, build_scheduler, full_due, full_trigger
from indexer.synclog import SyncLog
from tests.indexer.conftest import Env
from trials.model import doc_id, utc_iso
from trials.settings import Settings


async def _runs(env: Env, source: str) -> list[dict[str, Any]]:
    return await SyncLog(env.es, env.names.sync_log).recent(source)


async def _move_start(env: Env, run_id: str, to: datetime) -> None:
    """The run as if it had started at `to` (time passed since)."""
    await env.es.update(
        index=env.names.sync_log, id=run_id, doc={"started_at": utc_iso(to)}, refresh=True
    )


def test_the_full_schedule_defaults_to_sunday_at_three_and_is_its_own_job(
    es: AsyncElasticsearch,
) -> None:
    settings = Settings()
    assert settings.full_schedule == "0 3 * * 0"
    scheduler = build_scheduler(settings, es)
    (sync, full) = scheduler.get_job(JOB_ID), scheduler.get_job(FULL_JOB_ID)
    assert (full.max_instances, full.coalesce) == (1, True)
    saturday = datetime(2026, 12, 5, 12, tzinfo=UTC)
    assert full.trigger.get_next_fire_time(None, saturday).isoformat() == (
        "2026-12-06T03:00:00+09:00"  # cron's 0 is Sunday
    )
    assert sync.trigger.get_next_fire_time(None, saturday).isoformat() == (
        "2026-12-06T03:00:00+09:00"
    )


async def test_full_due_only_for_incremental_registries_once_the_cron_fired(env: Env) -> None:
    from indexer.schedule import scheduled_sync

    synclog = SyncLog(env.es, env.names.sync_log)
    weekly = full_trigger(env.settings)
    await env.run("icreat")
    assert not await full_due(synclog, "icreat", weekly)  # every read of it is full
    assert await full_due(synclog, "ctgov", weekly)  # never read in full

    full = await env.run("ctgov", full=True)
    assert not await full_due(synclog, "ctgov", weekly)
    last_week = datetime.now(UTC) - timedelta(days=8)
    await _move_start(env, full.run_id, last_week)
    assert await full_due(synclog, "ctgov", weekly)  # a Sunday 03:00 has passed since

    gone = env.state.ctgov.pop(0)
    nct = gone["protocolSection"]["identificationModule"]["nctId"]
    await scheduled_sync(env.es, env.settings, full_only=True)
    (latest, *_) = await _runs(env, "ctgov")
    assert (latest["trigger"], latest["full"], latest["status"]) == ("schedule", True, "completed")
    assert latest["removed_ids"] == [doc_id("ctgov", nct)]
    assert not await full_due(synclog, "ctgov", weekly)
    assert [r["trigger"] for r in await _runs(env, "icreat")] == ["cli"]  # full_only: ctgov

    await scheduled_sync(env.es, env.settings)  # the daily sync: ctgov reads changes only
    (daily, *_) = await _runs(env, "ctgov")
    assert (daily["trigger"], daily["full"], daily["status"]) == ("schedule", False, "completed")
    assert "cursor" in daily
    assert [r["trigger"] for r in await _runs(env, "icreat")] == ["schedule", "cli"]


async def test_the_daily_sync_reads_in_full_when_a_full_read_is_due(env: Env) -> None:
    from indexer.schedule import scheduled_sync

    first = await env.run("ctgov", full=True)
    await _move_start(env, first.run_id, datetime.now(UTC) - timedelta(days=8))
    every_day = dataclasses.replace(env.settings, schedule="0 3 * * *")
    await scheduled_sync(env.es, every_day)
    (latest, *_) = await _runs(env, "ctgov")
    assert (latest["trigger"], latest["full"]) == ("schedule", True)
    assert "cursor" not in latest
