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


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day(number: str) -> str:
    if not number.isdigit() or int(number) > 7:
        raise ValueError(f"day of week {number!r} is not 0-7")
    return _DAY_NAMES[int(number)]


def _weekdays(field: str) -> str:
    """Standard cron days (0 or 7 = Sunday) as names: APScheduler 3 reads the digits with
    0 = Monday, so "1-5" would silently mean Tuesday to Saturday."""
    if field == "*" or not any(c.isdigit() for c in field.split("/")[0]):
        return field
    parts = []
    for token in field.split(","):
        first, _, last = token.partition("-")
        if not last:
            parts.append(_day(first))
        elif first == "0":  # sun-… cannot wrap in APScheduler (sun is its last day)
            parts += ["sun", f"mon-{_day(last)}"] if last not in ("0", "7") else ["sun"]
        else:
            parts.append(f"{_day(first)}-{_day(last)}")
    return ",".join(parts)


def cron_trigger(settings: Settings) -> CronTrigger:
    """The trigger for `settings.schedule` (standard 5-field cron, Asia/Seoul); ValueError
    names a malformed expression."""
    fields = settings.schedule.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 cron fields, got {len(fields)}")
    minute, hour, day, month, weekdays = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekdays(weekdays),
        timezone=TIMEZONE,
    )


async def scheduled_sync(es: AsyncElasticsearch, settings: Settings) -> None:
    """The job: every source in turn's own run; a failure is logged, never kills the scheduler."""
    sources = list(default_sources(settings))
    try:
        results = await run_sources(es, settings, sources, RunOptions(trigger="schedule"))
    except Exception:
        log.exception("scheduled sync failed")
        return
    for source, result in zip(sources, results, strict=True):
        if isinstance(result, BaseException):  # not run (locked): runs log their own summary
            log.error("scheduled sync of %s not run: %s", source, result, extra={"source": source})


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
