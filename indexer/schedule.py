"""`trials schedule`: APScheduler running the sync of the default sources on the cron of
`TRIALS_SCHEDULE` (Asia/Seoul). One job instance at a time; missed runs coalesce into one."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from elasticsearch import AsyncElasticsearch

from indexer.catalog import default_sources
from indexer.run import RunOptions, run_sources
from trials.settings import Settings

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Seoul"
JOB_ID = "sync"


def cron_trigger(settings: Settings) -> CronTrigger:
    """The trigger for `settings.schedule`; ValueError names a malformed cron expression."""
    return CronTrigger.from_crontab(settings.schedule, timezone=TIMEZONE)


async def scheduled_sync(es: AsyncElasticsearch, settings: Settings) -> None:
    """The job: every source in turn's own run; a failure is logged, never kills the scheduler."""
    try:
        results = await run_sources(
            es, settings, list(default_sources(settings)), RunOptions(trigger="schedule")
        )
    except Exception:
        log.exception("scheduled sync failed")
        return
    for result in results:
        if isinstance(result, BaseException):
            log.error("scheduled sync: %s", result)
        else:
            log.info("scheduled sync %s: %s %s", result.run_id, result.status, result.counts)


def build_scheduler(settings: Settings, es: AsyncElasticsearch) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=TIMEZONE)
    scheduler.add_job(
        scheduled_sync,
        cron_trigger(settings),
        args=(es, settings),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        replace_existing=True,
    )
    return scheduler
