"""A check-in belongs to the day it was made on, wherever the member goes next.

Property tests over sequences of waiting, changing time zone and checking in, driven
through the real pages (the check-in page and the history page) with the clock
moved by hand. What must hold whatever the sequence:

- a check-in never disappears: the member's today is never before its day, and
  while its day has not ended where it was made, the check-in page shows it as
  today's;
- one day is never counted twice: a new day's check-in is only made once the
  previous one's day has ended where it was made;
- a change of zone alone changes neither the streak nor whether today is done,
  while the day after the latest check-in is still going where it was made;
- the streak never runs ahead of the time that has passed;
- and a member who checks in whenever a new day opens never loses their streak
  (between zones less than a day apart: further apart, a whole date can pass on
  one side while the other is still on the day before).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.days import day_end
from plans.models import CheckIn
from recovery_support.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Less than a day apart from each other at any time of year (Auckland in summer is
# UTC+13, Honolulu UTC-10), half-hour and quarter-hour offsets and daylight saving
# included.
NEAR = [
    "Pacific/Honolulu",
    "America/Chicago",
    "Europe/London",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
]
# The edges of the map: Kiritimati (UTC+14) is a whole day ahead of Honolulu.
FAR = [*NEAR, "Pacific/Kiritimati", "Pacific/Pago_Pago"]

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@dataclass
class Member:
    """A member, a browser signed in as them, and the clock they live by."""

    client: object
    user: User
    now: datetime
    zone: str
    # (day, zone, instant) of each check-in the pages created, in order.
    made: list[tuple[date, str, datetime]] = field(default_factory=list)

    def move_to(self, zone: str) -> None:
        User.objects.filter(pk=self.user.pk).update(time_zone=zone)
        self.zone = zone

    def check_in(self) -> None:
        before = set(CheckIn.objects.filter(owner=self.user).values_list("day", flat=True))
        response = self.client.post(reverse("plans:checkin"), {"mood": "4", "craving": "2"})
        assert response.status_code == 302
        for day in set(CheckIn.objects.filter(owner=self.user).values_list("day", flat=True)):
            if day not in before:
                self.made.append((day, self.zone, self.now))

    def checkin_page(self) -> dict:
        return self.client.get(reverse("plans:checkin")).context

    def history(self) -> dict:
        return self.client.get(reverse("plans:history")).context


@pytest.fixture
def start_member(client, monkeypatch, settings):
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    clock = {}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])

    def start(now: datetime, zone: str) -> Member:
        clock["now"] = now
        user = UserFactory(time_zone=zone)
        client.force_login(user)
        member = Member(client, user, now, zone)
        clock["member"] = member
        return member

    def wait(member: Member, minutes: int) -> None:
        member.now += timedelta(minutes=minutes)
        clock["now"] = member.now

    start.wait = wait
    return start


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=40 * 60)),
        st.tuples(st.just("move"), st.sampled_from(FAR)),
        st.tuples(st.just("check in"), st.none()),
    ),
    min_size=1,
    max_size=12,
)


@SETTINGS
@given(start=STARTS, zone=st.sampled_from(FAR), steps=STEPS)
def test_a_check_in_is_never_hidden_or_counted_twice_across_zone_changes(
    start_member, start, zone, steps
):
    member = start_member(start, zone)
    for action, value in steps:
        before = member.history() if action == "move" else None
        if action == "wait":
            start_member.wait(member, value)
        elif action == "move":
            member.move_to(value)
        else:
            member.check_in()

        page, history = member.checkin_page(), member.history()
        if not member.made:
            assert history["streak"] == 0
            continue
        last_day, last_zone, _ = member.made[-1]
        # Never hidden: today is never before the latest check-in's day, and that
        # day is today's while it lasts where it was made.
        assert page["today"] >= last_day and history["today"] >= last_day
        if member.now < day_end(last_day, last_zone):
            assert page["today"] == last_day and page["checked_in"]
            assert history["checked_in_today"]
        # Never counted twice: each new day began after the one before had ended.
        for (day, zone_made, _), (_, _, at) in zip(member.made, member.made[1:], strict=False):
            assert at >= day_end(day, zone_made), "a second check-in for one day"
        # A change of zone alone moves nothing while the days are still going.
        if before is not None and member.now < day_end(last_day + timedelta(days=1), last_zone):
            assert history["streak"] == before["streak"]
        # The streak never runs ahead of the time that has passed.
        streak = history["streak"]
        assert streak <= len(member.made)
        if streak:
            first_at = member.made[-streak][2]
            assert streak <= 3 + (member.now - first_at) / timedelta(days=1)


NEAR_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=6 * 60)),
        st.tuples(st.just("move"), st.sampled_from(NEAR)),
    ),
    min_size=1,
    max_size=16,
)


@SETTINGS
@given(start=STARTS, zone=st.sampled_from(NEAR), steps=NEAR_STEPS)
def test_checking_in_whenever_a_new_day_opens_keeps_the_streak(start_member, start, zone, steps):
    member = start_member(start, zone)
    member.check_in()
    for action, value in steps:
        if action == "wait":
            start_member.wait(member, value)
        else:
            member.move_to(value)
        if not member.checkin_page()["checked_in"]:
            member.check_in()
        assert member.history()["streak"] == len(member.made)


# --- The two journeys testers took ------------------------------------------------


def test_moving_from_chicago_to_honolulu_keeps_todays_check_in_and_the_streak(start_member):
    # 00:30 on 11 March in Chicago, after checking in on the 9th and 10th.
    member = start_member(datetime(2026, 3, 11, 5, 30, tzinfo=UTC), "America/Chicago")
    CheckIn.objects.create(owner=member.user, day=date(2026, 3, 9), mood=3, craving=1)
    CheckIn.objects.create(owner=member.user, day=date(2026, 3, 10), mood=3, craving=1)
    member.check_in()
    assert member.history()["streak"] == 3

    member.move_to("Pacific/Honolulu")  # 19:30 on the 10th there
    page, history = member.checkin_page(), member.history()
    assert page["checked_in"] and page["today"] == date(2026, 3, 11)
    assert (history["streak"], history["checked_in_today"]) == (3, True)


def test_moving_from_honolulu_to_chicago_does_not_open_a_second_day(start_member):
    # 20:00 on 10 March in Honolulu: checked in on the 9th and now.
    member = start_member(datetime(2026, 3, 11, 6, 0, tzinfo=UTC), "Pacific/Honolulu")
    CheckIn.objects.create(owner=member.user, day=date(2026, 3, 9), mood=3, craving=1)
    member.check_in()
    member.move_to("America/Chicago")  # 01:00 on the 11th there
    page = member.checkin_page()
    assert page["checked_in"] and page["today"] == date(2026, 3, 10)
    member.check_in()
    assert CheckIn.objects.filter(owner=member.user).count() == 2
    assert member.history()["streak"] == 2

    start_member.wait(member, 4 * 60)  # midnight in Honolulu, 05:00 in Chicago
    assert not member.checkin_page()["checked_in"]
    member.check_in()
    assert member.history()["streak"] == 3
