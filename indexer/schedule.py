"""`trials schedule`: APScheduler running the sync of the default sources on the cron of
`TRIALS_SCHEDULE` (Asia/Seoul). One job instance at a time; missed runs coalesce into one.

Full reads have their own cron, `TRIALS_FULL_SCHEDULE`: a registry that can fetch only what
changed (ClinicalTrials.gov) reads in full, and so finds the trials removed upstream, when that
cron has fired since its last completed full read — in the first scheduled run after it (the
full cron's own job runs just those sources, should no sync fall at that time). The other
registries read in full in every run.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from elasticsearch import AsyncElasticsearch

from indexer.catalog import default_sources
from indexer.run import RunOptions, run_sources
from indexer.synclog import SyncLog
from trials.indices import Names, ensure_indices
from trials.registries import REGISTRIES
from trials.settings import Settings

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Seoul"
JOB_ID = "sync"
FULL_JOB_ID = "full-sync"


# cron numbers days from Sunday (0, and 7 again); APScheduler 3 from Monday (0), so digits
# handed over unchanged shift every day by one: the field is expanded here and passed as names.
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def cron_weekdays(field: str) -> set[int]:
    """The days (0 = Sunday) a standard cron day-of-week field means: numbers 0-7 or names,
    `*`, ranges, lists, and steps over `*` or a range (`*/2`, `1-5/2`)."""
    days: set[int] = set()
    for item in field.lower().split(","):
        span, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            raise ValueError(f"day of week {item!r}: the step must be a positive number")
        first, last = _span(span, item, stepped=bool(slash))
        days.update(day % 7 for day in range(first, last + 1, int(step or 1)))
    return days


def _span(span: str, item: str, *, stepped: bool) -> tuple[int, int]:
    if span == "*":
        return 0, 7
    if "-" not in span:
        if stepped:  # cron steps only over * or a range
            raise ValueError(f"day of week {item!r}: write a range before the step, e.g. 1-5/2")
        return _day(span), _day(span)
    first, last = _day(span.split("-", 1)[0]), _day(span.split("-", 1)[1], end=True)
    if first > last:
        raise ValueError(f"day of week {item!r}: the range runs backwards")
    return first, last


def _day(text: str, *, end: bool = False) -> int:
    if text in _DAYS:  # a range may end on Sunday by name: mon-sun
        return 7 if end and text == "sun" else _DAYS.index(text)
    if not text.isdigit() or int(text) > 7:
        raise ValueError(f"day of week {text!r} is not 0-7 or sun-sat")
    return int(text)


def cron_trigger(settings: Settings) -> BaseTrigger:
    """The trigger for `settings.schedule`; ValueError names a malformed expression."""
    return cron_of(settings.schedule)


def full_trigger(settings: Settings) -> BaseTrigger:
    """The trigger for `settings.full_schedule`; ValueError names a malformed expression."""
    return cron_of(settings.full_schedule)


def cron_of(expression: str) -> BaseTrigger:
    """The trigger for a standard 5-field cron `expression` (Asia/Seoul); ValueError names a
    malformed one."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 cron fields, got {len(fields)}")
    minute, hour, day, month, weekdays = fields
    days = cron_weekdays(weekdays)
    names = "*" if len(days) == 7 else ",".join(_DAYS[d] for d in sorted(days, key=_from_monday))
    common = {"minute": minute, "hour": hour, "month": month, "timezone": TIMEZONE}
    if day.startswith("*") or weekdays.startswith("*"):
        return CronTrigger(day=day, day_of_week=names, **common)
    # both day fields restricted: cron runs when either matches, APScheduler when both do
    return OrTrigger([CronTrigger(day=day, **common), CronTrigger(day_of_week=names, **common)])


def _from_monday(day: int) -> int:
    return (day - 1) % 7


async def full_due(
    synclog: SyncLog, source: str, trigger: BaseTrigger, now: datetime | None = None
) -> bool:
    """Whether `source` is to read in full now: it can fetch only what changed, and the full
    cron `trigger` has fired since its last completed full read began (or it never had one)."""
    if not REGISTRIES[source].incremental:
        return False  # every read of it is a full read
    last = await synclog.last_completed(source, full=True)
    if last is None:
        return True
    after = datetime.fromisoformat(last["started_at"]) + timedelta(microseconds=1)
    fired = trigger.get_next_fire_time(None, after)
    return fired is not None and fired <= (now or datetime.now(UTC))


async def scheduled_sync(
    es: AsyncElasticsearch,
    settings: Settings,
    *,
    full_only: bool = False,
    turn: asyncio.Lock | None = None,
) -> None:
    """The job: each default source's own run, in full where `full_due` says so (`full_only`:
    only those); a failure is logged, never kills the scheduler. `turn` keeps the two jobs
    from running at once when their crons fire together."""
    async with turn or asyncio.Lock():
        try:
            await ensure_indices(es, settings)
            synclog = SyncLog(es, Names.from_settings(settings).sync_log)
            trigger = full_trigger(settings)
            sources = list(default_sources(settings))
            full = [s for s in sources if await full_due(synclog, s, trigger)]
            chosen = full if full_only else sources
            options = RunOptions(trigger="schedule")
            results = await run_sources(es, settings, chosen, options, full=full)
        except Exception:
            log.exception("scheduled sync failed")
            return
    for source, result in zip(chosen, results, strict=True):
        if isinstance(result, BaseException):  # not run (locked): runs log their own summary
            log.error("scheduled sync of %s not run: %s", source, result, extra={"source": source})


def build_scheduler(settings: Settings, es: AsyncElasticsearch) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=TIMEZONE)
    turn = asyncio.Lock()
    jobs = ((JOB_ID, cron_trigger(settings), False), (FULL_JOB_ID, full_trigger(settings), True))
    for job_id, trigger, full_only in jobs:
        scheduler.add_job(
            scheduled_sync,
            trigger,
            args=(es, settings),
            kwargs={"full_only": full_only, "turn": turn},
            id=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
            replace_existing=True,
        )
    return scheduler
