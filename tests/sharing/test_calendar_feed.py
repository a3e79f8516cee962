"""The private calendar feed: subscribed to with a real iCalendar parser, times in the
member's zone on both sides of a daylight-saving change, every fetch in the access
log, and an address that stops working the moment it is revoked or replaced."""

import hashlib
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from plans.models import Activity, Plan
from sharing.models import AccessRecord, CalendarFeed, Grant, HelpRequest

NEW_YORK = ZoneInfo("America/New_York")


def next_dst_change(zone: ZoneInfo) -> datetime:
    """The first local midnight after the next change of the zone's UTC offset."""
    day = timezone.now().astimezone(zone).date()
    noon = lambda d: datetime.combine(d, time(12), zone).utcoffset()  # noqa: E731
    while noon(day + timedelta(days=1)) == noon(day):
        day += timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def subscribe(client: Client) -> str:
    """Make a calendar address on the calendar page, as a person would; its path."""
    response = client.post(reverse("sharing:calendar-new"))
    assert response.status_code == 200
    address = re.search(r'value="(https?://[^"]+\.ics)"', response.content.decode()).group(1)
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def fetch(path: str) -> Calendar:
    response = Client().get(path)  # a calendar app: no sign-in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def meeting(member):
    plan = Plan.objects.create(owner=member)
    return Activity.objects.create(
        plan=plan, kind="meeting", title="Tuesday AA group", weekday=1, time=time(19), place="Hall"
    )


def helped(member, claimer, at: datetime, kind: str = "ride") -> HelpRequest:
    return HelpRequest.objects.create(
        member=member, kind=kind, at=at, open_until=at, claimed_by=claimer, claimed_at=at
    )


def test_the_feed_keeps_the_members_times_across_a_daylight_saving_change(
    signed_in, member, meeting, their_supporter
):
    change = next_dst_change(NEW_YORK)
    before = datetime.combine((change - timedelta(days=2)).date(), time(18, 30), NEW_YORK)
    after = datetime.combine((change + timedelta(days=2)).date(), time(18, 30), NEW_YORK)
    helped(member, their_supporter, before)
    helped(member, their_supporter, after, kind="meal")

    calendar = fetch(subscribe(signed_in))
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    found = events(calendar)
    assert set(found) == {"Meeting", "A ride from Robin", "A meal from Robin"}

    # The weekly meeting: 19:00 where the member is, every Tuesday, before and after.
    weekly = found["Meeting"]
    start = weekly.decoded("dtstart")
    assert weekly["dtstart"].params["TZID"] == "America/New_York"
    assert (start.hour, start.minute, start.weekday()) == (19, 0, 1)
    rule = rrulestr(weekly["rrule"].to_ical().decode(), dtstart=start)
    until = change + timedelta(days=21)
    occurrences = [o for o in rule.between(start, until, inc=True)]
    assert {
        (o.astimezone(NEW_YORK).hour, o.astimezone(NEW_YORK).weekday()) for o in occurrences
    } == {(19, 1)}
    assert len({o.astimezone(UTC).hour for o in occurrences}) == 2, "the UTC hour moves"

    # Help others took on: 18:30 local on each side, an hour apart in UTC terms.
    ride, meal = found["A ride from Robin"], found["A meal from Robin"]
    for event, expected in ((ride, before), (meal, after)):
        assert event["dtstart"].params["TZID"] == "America/New_York"
        assert event.decoded("dtstart") == expected
        assert event.decoded("dtstart").astimezone(NEW_YORK).time() == time(18, 30)
    offsets = {e.decoded("dtstart").utcoffset() for e in (ride, meal)}
    assert len(offsets) == 2


def test_each_fetch_is_recorded_and_a_revoked_or_replaced_address_is_gone(signed_in, member):
    path = subscribe(signed_in)
    fetch(path)
    fetch(path)
    records = AccessRecord.objects.filter(member=member, what="your calendar")
    assert records.count() == 2
    log = signed_in.get(reverse("sharing:access-log")).content.decode()
    assert "Your calendar app" in log and "()" not in log

    newer = subscribe(signed_in)
    assert Client().get(path).status_code == 404, "replaced"
    fetch(newer)
    assert signed_in.post(reverse("sharing:calendar-revoke")).status_code == 302
    assert Client().get(newer).status_code == 404, "revoked"
    assert records.count() == 3, "a refused fetch reads nothing"


def test_only_the_hash_of_the_token_is_kept_and_the_address_is_shown_once(signed_in, member):
    path = subscribe(signed_in)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(owner=member)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in signed_in.get(reverse("sharing:calendar")).content.decode()


def test_titles_are_discreet_until_the_member_chooses_otherwise(signed_in, member, meeting):
    path = subscribe(signed_in)
    event = events(fetch(path))["Meeting"]
    assert "location" not in event
    assert signed_in.post(reverse("sharing:calendar-settings"), {}).status_code == 302
    event = events(fetch(path))["Tuesday AA group"]
    assert str(event["location"]) == "Hall"


def test_a_supporters_feed_holds_the_help_they_took_on_while_they_still_support(
    member, their_supporter
):
    supporter = Client()
    supporter.force_login(their_supporter)
    at = timezone.now() + timedelta(days=2)
    helped(member, their_supporter, at)
    path = subscribe(supporter)

    assert "A ride for Jordan" in events(fetch(path))
    record = AccessRecord.objects.get(member=member)
    assert (record.viewer, record.role) == (their_supporter, "supporter")
    assert AccessRecord.objects.filter(member=their_supporter, what="your calendar").exists()

    Grant.objects.filter(grantee=their_supporter).update(revoked_at=timezone.now())
    assert "A ride for Jordan" not in events(fetch(path))
    assert AccessRecord.objects.filter(member=member).count() == 1, "nothing of hers read"
