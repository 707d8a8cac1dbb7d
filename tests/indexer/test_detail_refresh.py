"""Which stored CRIS details a run reads again (`indexer.refresh`), day by day: each within the
maximum age, a slice a day, a failed or left-over read again the next day, at most the budget."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from indexer.refresh import DetailRefresh, latest_slot_day
from trials.model import SEOUL, utc_iso

DAYS = 7
IDS = [f"cris:KCT{n:07d}" for n in range(700)]
START = datetime(2026, 12, 6, 3, tzinfo=SEOUL)  # a run at 03:00, as scheduled


def _run(day: int, budget: int = 10_000) -> DetailRefresh:
    return DetailRefresh(DAYS, budget, START + timedelta(days=day))


def test_daily_runs_read_each_detail_once_a_cycle_a_slice_a_day() -> None:
    read_at = dict.fromkeys(IDS, utc_iso(START))  # all read on day 0 (the first load)
    reads: Counter[str] = Counter()
    per_day = []
    for day in range(1, 3 * DAYS + 1):
        run = _run(day)
        due = [i for i in IDS if run.due(i, read_at[i])]
        per_day.append(len(due))
        for i in due:
            read_at[i] = utc_iso(run.now)
            reads[i] += 1
    assert set(reads.values()) == {3}  # every detail read again once in each 7 days
    assert all(40 < n < 160 for n in per_day)  # about 1/7 of 700 each day, never all at once
    assert sum(per_day[:DAYS]) == len(IDS)


def test_no_detail_is_older_than_the_maximum_age_when_runs_are_daily() -> None:
    for doc_id in IDS[:50]:
        read = START  # read at some run, then every run re-reads only what is due
        for day in range(1, 4 * DAYS):
            run = _run(day)
            if run.due(doc_id, utc_iso(read)):
                assert run.now - read <= timedelta(days=DAYS)
                read = run.now


def test_a_detail_read_today_is_not_due_again_the_same_day() -> None:
    run = _run(3)
    assert not any(run.due(i, utc_iso(run.now - timedelta(minutes=5))) for i in IDS)


def test_a_read_that_failed_or_was_left_over_is_due_the_next_day_too() -> None:
    slot_today = next(
        i for i in IDS if latest_slot_day(i, DAYS, _run(3).now.date()) == _run(3).now.date()
    )
    read = utc_iso(START)  # day 0
    assert _run(3).due(slot_today, read)
    assert _run(4).due(slot_today, read)  # not read on day 3: still due on day 4
    assert _run(4).due(slot_today, None)  # never read: due


def test_the_budget_caps_the_reads_of_a_run_and_counts_what_it_left() -> None:
    run = _run(DAYS * 2, budget=100)
    taken = [i for i in IDS if run.due(i, utc_iso(START)) and run.take()]
    assert len(taken) == 100
    assert run.deferred == len(IDS) - 100  # everything was older than the maximum age
    assert "600 detail(s) due to be read again were left for the next run" in run.notes()[0]
    assert _run(DAYS * 2, budget=0).take() is False
