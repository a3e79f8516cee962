"""When is the next check-in reminder? Wall-clock arithmetic in the member's zone.

A member who asks for 09:00 gets 09:00 local time, before and after a daylight-
saving change. On the day a 02:30 does not exist (clocks jump forward) the
reminder comes at the same instant a clock that kept the old offset would show
02:30, which is the local time just after the jump (03:30); on the day 01:30
happens twice (clocks go back) it fires once, at the first 01:30.
"""

from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def next_occurrence(
    after: datetime, *, local_time: time, weekdays: Collection[int], zone: str
) -> datetime:
    """The first reminder instant strictly after `after`, in UTC.

    `weekdays` are Monday=0 … Sunday=6; empty means every day."""
    tz = ZoneInfo(zone)
    local_time = local_time.replace(fold=0)
    start = after.astimezone(tz).date()
    for offset in range(8):
        day = start + timedelta(days=offset)
        if weekdays and day.weekday() not in weekdays:
            continue
        # fold=0: an ambiguous time is its first occurrence, and a missing one is
        # read with the offset before the gap, which lands just after the jump.
        candidate = datetime.combine(day, local_time, tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
    raise ValueError("weekdays must hold values from 0 (Monday) to 6 (Sunday)")
