from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from plans.scheduling import next_occurrence

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
    "UTC",
]


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def exists(day: date, wall: time, zone: str) -> bool:
    """Does this wall-clock time happen on this day in this zone?"""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, wall)
    round_trip = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return round_trip == naive


@settings(max_examples=600, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    after=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
    wall=st.times(),
    weekdays=st.sets(st.integers(0, 6)),
)
def test_the_next_reminder_is_the_first_chosen_day_at_the_chosen_local_time(
    zone, after, wall, weekdays
):
    wall = wall.replace(microsecond=0, fold=0)
    due = next_occurrence(after, local_time=wall, weekdays=weekdays, zone=zone)
    assert due > after
    assert due - after <= timedelta(days=8)
    shown = local(due, zone)
    if weekdays:
        assert shown.weekday() in weekdays or not exists(shown.date(), wall, zone)
    if exists(shown.date(), wall, zone):
        assert shown.time() == wall and shown.fold == 0  # the first of a doubled hour
    else:
        # A time skipped by a jump forward is moved forward, by the jump, same day.
        assert shown.time() > wall and shown.date() >= (after.astimezone(ZoneInfo(zone))).date()
        assert datetime.combine(shown.date(), shown.time()) - datetime.combine(
            shown.date(), wall
        ) <= timedelta(hours=1)
    # No chosen day between `after` and `due` was skipped.
    day = local(after, zone).date()
    while day < shown.date():
        if not weekdays or day.weekday() in weekdays:
            candidate = datetime.combine(day, wall, tzinfo=ZoneInfo(zone))
            assert candidate.astimezone(UTC) <= after
        day += timedelta(days=1)


def test_a_nine_oclock_reminder_stays_at_nine_across_the_spring_change():
    before = next_occurrence(
        datetime(2026, 3, 6, 15, 0, tzinfo=UTC),
        local_time=time(9, 0),
        weekdays=[],
        zone="America/New_York",
    )
    after = next_occurrence(before, local_time=time(9, 0), weekdays=[], zone="America/New_York")
    following = next_occurrence(after, local_time=time(9, 0), weekdays=[], zone="America/New_York")
    assert [
        local(d, "America/New_York").strftime("%d %H:%M") for d in (before, after, following)
    ] == ["07 09:00", "08 09:00", "09 09:00"]
    assert after - before == timedelta(hours=23)  # the clocks moved, the reminder did not


def test_a_time_that_does_not_exist_that_day_is_moved_forward():
    # 2026-03-08 02:30 does not exist in New York (02:00 -> 03:00).
    due = next_occurrence(
        datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
        local_time=time(2, 30),
        weekdays=[],
        zone="America/New_York",
    )
    assert local(due, "America/New_York").strftime("%Y-%m-%d %H:%M") == "2026-03-08 03:30"


def test_a_time_that_happens_twice_fires_once():
    # 2026-11-01 01:30 happens twice in New York (02:00 -> 01:00).
    first = next_occurrence(
        datetime(2026, 11, 1, 4, 0, tzinfo=UTC),
        local_time=time(1, 30),
        weekdays=[],
        zone="America/New_York",
    )
    second = next_occurrence(first, local_time=time(1, 30), weekdays=[], zone="America/New_York")
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first
    assert local(second, "America/New_York").strftime("%m-%d %H:%M") == "11-02 01:30"


def test_chosen_weekdays_only():
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    due = next_occurrence(monday, local_time=time(8, 0), weekdays=[2, 4], zone="Europe/Berlin")
    assert local(due, "Europe/Berlin").strftime("%A %H:%M") == "Wednesday 08:00"
