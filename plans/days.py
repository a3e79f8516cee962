"""Which day a check-in belongs to, and how long a run of them is, for a member who
may change time zone (moving, travelling, or fixing a wrong one).

A check-in belongs to the local day it was made on (`CheckIn.day`), in the zone it
was made in (`CheckIn.time_zone`). Three rules keep that honest when the zone
changes; in one zone they are simply the calendar:

- Today is never before the day of the latest check-in: moving to a zone behind
  (Chicago to Honolulu) never hides the check-in just made.
- That day lasts until its midnight where it was made: moving to a zone ahead
  (Honolulu to Chicago) never opens a second day at once, so one day is never
  counted twice.
- Two check-ins follow each other in a streak when their days do, or when the later
  one was made before the day after the earlier one ended where it was made: a jump
  ahead that skips a date (Honolulu to Kiritimati) never breaks a streak.

Pure functions of dates, zones and instants, so the property tests
(tests/plans/test_day_boundaries.py) can walk any sequence of zone changes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Made:
    """A check-in as the day rules see it: its day, the zone and instant it was made."""

    day: date
    zone: str
    at: datetime


def day_end(day: date, zone: str) -> datetime:
    """The instant `day` ends in `zone` (its midnight), in UTC. Where a clock change
    skips midnight, the instant a clock keeping the old offset would show it."""
    return datetime.combine(day + ONE_DAY, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def today_for(last: Made | None, *, zone: str, now: datetime) -> date:
    """The day a check-in made `now` belongs to, for a member in `zone` whose latest
    check-in is `last`: their local date, unless that is not after `last`'s day or
    `last`'s day has not yet ended where it was made; then still `last`'s day."""
    local = now.astimezone(ZoneInfo(zone)).date()
    if last is None or (local > last.day and now >= day_end(last.day, last.zone)):
        return local
    return last.day


def _follows(earlier: Made, later: Made) -> bool:
    return later.day == earlier.day + ONE_DAY or (
        later.day > earlier.day and later.at < day_end(earlier.day + ONE_DAY, earlier.zone)
    )


def streak(made: Sequence[Made], *, today: date, now: datetime) -> int:
    """Check-ins in a row, ending with the latest (`made` is oldest first), while it is
    still today's or yesterday's: in the member's calendar, or where it was made."""
    if not made:
        return 0
    last = made[-1]
    if today > last.day + ONE_DAY and now >= day_end(last.day + ONE_DAY, last.zone):
        return 0
    count = 1
    for earlier, later in zip(reversed(made[:-1]), reversed(made[1:]), strict=True):
        if not _follows(earlier, later):
            break
        count += 1
    return count
