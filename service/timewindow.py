"""Time bounds given by API users: ISO-8601 dates or date-times, inclusive at both ends.

A date without a time means that whole day in Asia/Seoul (the registries' time zone), so
`updated_to=2026-02-03` includes every moment of 3 February in Korea. A date-time without an
offset is read as Asia/Seoul too. Everything is compared in UTC by Elasticsearch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class Instant:
    """A parsed bound: the moment, and whether the user wrote a bare date."""

    at: datetime
    whole_day: bool


@dataclass(frozen=True)
class Window:
    """`start <= t` and `t <= end` (or `t < end` when `end_exclusive`, for whole days)."""

    start: datetime | None = None
    end: datetime | None = None
    end_exclusive: bool = False

    def contains(self, moment: datetime) -> bool:
        if self.start is not None and moment < self.start:
            return False
        if self.end is None:
            return True
        return moment < self.end if self.end_exclusive else moment <= self.end

    def range_clause(self) -> dict[str, str]:
        clause: dict[str, str] = {}
        if self.start is not None:
            clause["gte"] = self.start.isoformat()
        if self.end is not None:
            clause["lt" if self.end_exclusive else "lte"] = self.end.isoformat()
        return clause


def parse_instant(text: str) -> Instant:
    """Raises ValueError with a message fit for an API user."""
    text = text.strip()
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return Instant(datetime(day.year, day.month, day.day, tzinfo=SEOUL), whole_day=True)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "expected an ISO-8601 date (2026-02-03) or date-time (2026-02-03T09:00:00+09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SEOUL)
    return Instant(moment, whole_day=False)


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def window(start: Instant | None, end: Instant | None) -> Window:
    """Inclusive window; a bare end date reaches to the end of that Seoul day. Bounds are cut
    to milliseconds, the precision Elasticsearch stores dates with, so that the API's own
    reading of a bound (`contains`) agrees with the query's."""
    start = None if start is None else Instant(_ms(start.at), start.whole_day)
    end = None if end is None else Instant(_ms(end.at), end.whole_day)
    end_at = None if end is None else end.at
    if end is not None and end.whole_day:
        end_at = end.at + timedelta(days=1)
    exclusive = bool(end and end.whole_day)
    if (
        start is not None
        and end_at is not None
        and (start.at > end_at or (exclusive and start.at == end_at))
    ):
        raise ValueError("the window's start is after its end")
    return Window(
        start=None if start is None else start.at,
        end=end_at,
        end_exclusive=exclusive,
    )
