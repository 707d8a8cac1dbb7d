"""Which stored details a run reads again. CRIS's list does not show a change made only in a
trial's detail (status, summary, target size), so each live trial's detail is re-read within
`max_age_days`, a slice of the trials each day, and at most `per_run` a run (the portal's daily
quota); new or changed trials are read anyway and are not counted against it.

Each trial has a slot day, drawn from its id, every `max_age_days` days (Asia/Seoul days, as
the portal's quota). A detail is due when it was not read since the trial's latest slot day:
daily runs read about 1/max_age of the trials each, a detail is never older than max_age days,
and a read that failed or was left over (the cap) stays due for the next run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from trials.model import SEOUL


def slot(doc_id: str, days: int) -> int:
    """The trial's place in the cycle, 0 … days-1: the same in every process and run."""
    return int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:8], "big") % days


def latest_slot_day(doc_id: str, days: int, today: date) -> date:
    """The last day on or before `today` that is the trial's slot day."""
    return today - timedelta(days=(today.toordinal() - slot(doc_id, days)) % days)


@dataclass
class DetailRefresh:
    """One run's choice of the details to read again, and its budget of reads."""

    max_age_days: int
    per_run: int
    now: datetime
    taken: int = 0
    deferred: int = 0  # due, but over the budget: left for the next run

    def due(self, doc_id: str, read_at: str | None) -> bool:
        """Whether the detail stored at `read_at` (None: never read) is to be read again."""
        if read_at is None:
            return True
        today = self.now.astimezone(SEOUL).date()
        day = latest_slot_day(doc_id, self.max_age_days, today)
        return datetime.fromisoformat(read_at) < datetime.combine(day, time(0), tzinfo=SEOUL)

    def take(self) -> bool:
        """One read from the budget; False (and counted as left over) when it is spent."""
        if self.taken >= self.per_run:
            self.deferred += 1
            return False
        self.taken += 1
        return True

    def notes(self) -> list[str]:
        if not self.deferred:
            return []
        return [
            f"{self.deferred} detail(s) due to be read again were left for the next run "
            f"(at most {self.per_run} a run: TRIALS_CRIS_DETAIL_REREADS_PER_RUN)"
        ]
