"""`TRIALS_SCHEDULE` means what it means in cron: the days APScheduler fires on are cron's days.

Each expected set below is written from cron's rules (crontab(5): 0 and 7 are Sunday, `*` is
0-7, a step walks a range, names are the first three letters), and is compared with the days the
real trigger fires on over the weeks after a fixed date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from indexer.schedule import cron_trigger
from trials.settings import Settings

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 11, 29, tzinfo=SEOUL)  # a Sunday
EVERY_DAY = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}


def fire_dates(schedule: str, days: int) -> list[date]:
    """The dates the trigger for `schedule` fires on in the `days` days from START."""
    trigger = cron_trigger(Settings(schedule=schedule))
    found: list[date] = []
    previous, now = None, START
    while (fire := trigger.get_next_fire_time(previous, now)) < START + timedelta(days=days):
        found.append(fire.date())
        previous, now = fire, fire + timedelta(seconds=1)
    return found


@pytest.mark.parametrize(
    ("weekdays", "cron_days"),
    [
        ("*", EVERY_DAY),
        ("0", {"sun"}),
        ("7", {"sun"}),
        ("1", {"mon"}),
        ("6", {"sat"}),
        ("1-5", {"mon", "tue", "wed", "thu", "fri"}),
        ("0-2", {"sun", "mon", "tue"}),
        ("5-7", {"fri", "sat", "sun"}),
        ("6,0", {"sat", "sun"}),
        ("0,7", {"sun"}),
        ("1,3-4", {"mon", "wed", "thu"}),
        ("*/2", {"sun", "tue", "thu", "sat"}),
        ("*/3", {"sun", "wed", "sat"}),
        ("1-5/2", {"mon", "wed", "fri"}),
        ("0-6/3", {"sun", "wed", "sat"}),
        ("2-7/2", {"tue", "thu", "sat"}),
        ("1-7/3", {"mon", "thu", "sun"}),
        ("1-2,4-7/3", {"mon", "tue", "thu", "sun"}),
        ("sun", {"sun"}),
        ("MON", {"mon"}),
        ("mon-fri", {"mon", "tue", "wed", "thu", "fri"}),
        ("mon-fri/2", {"mon", "wed", "fri"}),
        ("fri-sun", {"fri", "sat", "sun"}),
        ("sat,sun", {"sat", "sun"}),
        ("sun-sat/2", {"sun", "tue", "thu", "sat"}),
    ],
)
def test_the_trigger_fires_on_crons_weekdays(weekdays: str, cron_days: set[str]) -> None:
    dates = fire_dates(f"0 3 * * {weekdays}", days=14)
    assert {d.strftime("%a").lower() for d in dates} == cron_days
    assert len(dates) == 2 * len(cron_days)  # once a day, each week


@pytest.mark.parametrize(
    ("schedule", "meaning"),
    [
        # both day fields restricted: cron fires when EITHER matches
        ("0 3 13 * 5", lambda d: d.day == 13 or d.weekday() == 4),
        ("0 3 1,15 * 1-5/2", lambda d: d.day in (1, 15) or d.weekday() in (0, 2, 4)),
        # a day field starting with * does not count as restricted: both must match
        ("0 3 */2 * 1", lambda d: d.day % 2 == 1 and d.weekday() == 0),
        ("0 3 10-20 * *", lambda d: 10 <= d.day <= 20),
        ("0 3 * * 0", lambda d: d.weekday() == 6),
    ],
)
def test_day_of_month_and_weekday_combine_as_in_cron(
    schedule: str, meaning: Callable[[date], bool]
) -> None:
    days = 70
    expected = [d for d in (START.date() + timedelta(days=n) for n in range(days)) if meaning(d)]
    assert fire_dates(schedule, days) == expected


@pytest.mark.parametrize(
    "weekdays", ["8", "1/2", "5-1", "*/0", "*/x", "mon-", "1,,2", "funday", "1-2-3", ","]
)
def test_a_weekday_field_cron_refuses_is_refused(weekdays: str) -> None:
    with pytest.raises(ValueError, match="day of week"):
        cron_trigger(Settings(schedule=f"0 3 * * {weekdays}"))
