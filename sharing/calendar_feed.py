"""Each person's private calendar feed (iCalendar), for any calendar app to subscribe
to: their plan's meetings and sessions, help others took on for them, and help they
took on for someone else.

The address holds a random token of 256 bits; only its SHA-256 is kept, so the address
is shown once, and a new one replaces it. Times carry the zone of the person whose
plan or request it is (TZID, with its VTIMEZONE), so a weekly 19:00 meeting stays at
19:00 across a daylight-saving change. Every fetch is written in the access log.
"""

import secrets
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event, vRecur

from plans import selectors as plan_selectors
from plans.models import Activity
from recovery_support.emails import in_language_of
from sharing.models import AccessRecord, CalendarFeed, Grant, HelpRequest, Role
from sharing.services import token_hash

# Help that has passed stays in the feed this long, then drops out.
PAST_HELP = timedelta(days=60)
EVENT_LENGTH = timedelta(hours=1)
DISCREET_TITLES = {
    Activity.Kind.MEETING: _("Meeting"),
    Activity.Kind.SESSION: _("Appointment"),
    Activity.Kind.OTHER: _("Plans"),
}
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def feed_of(owner) -> CalendarFeed:
    return CalendarFeed.objects.filter(owner=owner).first() or CalendarFeed(owner=owner)


def feed_token_create(*, owner) -> str:
    """A new address, replacing any earlier one. Returns the token: its only copy."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        owner=owner, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


def feed_revoke(*, owner) -> None:
    CalendarFeed.objects.filter(owner=owner).update(token_hash=None, created_at=None)


def feed_for_token(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("owner").filter(token_hash=token_hash(token)).first()


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _activity_events(owner, zone: ZoneInfo, discreet: bool, now: datetime) -> list[Event]:
    """Each activity of the owner's plan, weekly from this week on."""
    monday = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    plan = plan_selectors.plan_of(owner)
    activities = [] if plan is None else plan.activities.order_by("pk")
    events = []
    for activity in activities:
        start = datetime.combine(monday + timedelta(days=activity.weekday), activity.time, zone)
        event = Event()
        event.add("uid", _uid("activity", activity.pk))
        event.add("summary", str(DISCREET_TITLES[activity.kind]) if discreet else activity.title)
        event.add("dtstart", start)
        event.add("dtend", start + EVENT_LENGTH)
        event.add("rrule", vRecur(freq="WEEKLY", byday=BYDAY[activity.weekday]))
        if activity.place and not discreet:
            event.add("location", activity.place)
        events.append(event)
    return events


def _help_event(help_request: HelpRequest, summary: str, discreet: bool) -> Event:
    zone = ZoneInfo(help_request.member.time_zone)
    event = Event()
    event.add("uid", _uid("help", help_request.pk))
    event.add("summary", summary)
    if help_request.at is not None:
        start = help_request.at.astimezone(zone)
        event.add("dtstart", start)
        event.add("dtend", start + EVENT_LENGTH)
    else:  # any time this week: all day, from the day it was asked to the week's end
        first: date = help_request.created_at.astimezone(zone).date()
        event.add("dtstart", first)
        event.add("dtend", help_request.open_until.astimezone(zone).date())
    if help_request.where and not discreet:
        event.add("location", help_request.where)
    return event


def _help_rows(now: datetime, **filters):
    return (
        HelpRequest.objects.filter(
            cancelled_at__isnull=True, open_until__gt=now - PAST_HELP, **filters
        )
        .exclude(claimed_by=None)
        .select_related("member", "claimed_by")
        .order_by("open_until", "pk")
    )


def feed_ics(feed: CalendarFeed, *, now: datetime | None = None) -> bytes:
    """The calendar, and one access record for each person whose data it carries: the
    owner (their own plan and requests), and each member whose help they took on.
    Its words are the owner's language: a calendar app fetches it with no sign-in."""
    with in_language_of(feed.owner):
        return _feed_ics(feed, now=now)


def _feed_ics(feed: CalendarFeed, *, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    owner = feed.owner
    zone = ZoneInfo(owner.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Recovery Support//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", gettext("Recovery Support"))
    calendar.add("x-wr-timezone", owner.time_zone)
    for event in _activity_events(owner, zone, feed.discreet, now):
        calendar.add_component(event)
    for row in _help_rows(now, member=owner):
        summary = gettext("%(what)s from %(name)s") % {
            "what": row.get_kind_display(),
            "name": row.claimed_by,
        }
        calendar.add_component(_help_event(row, summary, feed.discreet))
    # Help they took on, while the member still shares with them.
    still_supporting = Grant.objects.active().filter(
        member=OuterRef("member_id"), grantee=owner, role=Role.SUPPORTER
    )
    helped = set()
    for row in _help_rows(now, claimed_by=owner).filter(Exists(still_supporting)):
        summary = gettext("%(what)s for %(name)s") % {
            "what": row.get_kind_display(),
            "name": row.member,
        }
        calendar.add_component(_help_event(row, summary, feed.discreet))
        helped.add(row.member)
    calendar.add_missing_timezones()
    _record(owner, helped, now)
    return calendar.to_ical()


def _record(owner, helped: set, now: datetime) -> None:
    records = [
        AccessRecord(
            member=owner,
            viewer=owner,
            # Stored in English, translated when the log is read (no role: not a person).
            viewer_name=gettext_noop("Your calendar app"),
            role="",
            what=gettext_noop("your calendar"),
            at=now,
        )
    ]
    records += [
        AccessRecord(
            member=member,
            viewer=owner,
            viewer_name=str(owner),
            role=Role.SUPPORTER,
            what=gettext_noop("help they took on, in their calendar"),
            at=now,
        )
        for member in sorted(helped, key=lambda m: m.pk)
    ]
    AccessRecord.objects.bulk_create(records)
