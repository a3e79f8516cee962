"""Named nudges: kind words about what the member planned, at the moment it matters.

- Someone they planned to be in touch with every so many days, when it has been
  longer ("It has been 9 days since you talked with your sister, Maria").
- A follow-up date they set in step 2, when it has come.
- A meeting or session in their plan, the chosen lead time before it starts (an hour
  unless they chose otherwise).

Inside the app (the dashboard) they say names and titles: `nudges_for`. By push and
email they stay discreet ("Someone in your network", "Coming up soon"): the sweep
makes a notice of each (recovery_support/push/notices.py), unique per what it is
about, so each nudge goes once, the way the member chose for its kind, never in their
quiet hours.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext, ngettext

from networks.gaps import days_since_contact
from networks.models import SupportSource
from plans.models import Activity, Outcome, Plan, PlanSource
from recovery_support.dates import local_date
from recovery_support.push import notices
from recovery_support.push.models import DeliveryChoices

DEFAULT_LEAD = timedelta(minutes=60)
# A contact or follow-up nudge by push or email comes at this hour of the member's day
# (or at once, when the sweep finds it later that day).
NUDGE_HOUR = time(10, 0)
# A follow-up date this long past still shows in the app; by push only on its day.
FOLLOW_UP_SHOWN = timedelta(days=7)
# The meetings sweep looks this far ahead, more than the five minutes between sweeps.
LOOK_AHEAD = timedelta(minutes=15)


@dataclass(frozen=True)
class Nudge:
    kind: str  # contact_nudge, followup, meeting
    text: str
    link: str = ""


def _who(source: SupportSource) -> str:
    relationship = source.relationship.strip()
    if not relationship:
        return source.name
    if relationship[:1].isupper() and relationship[1:2].islower():
        relationship = relationship[0].lower() + relationship[1:]
    # Translators: "your sister, Maria": the relationship as the member wrote it, then the name.
    return gettext("your %(relationship)s, %(name)s") % {
        "relationship": relationship,
        "name": source.name,
    }


def _overdue_sources(owner_ids, *, today_of) -> list[tuple[SupportSource, int]]:
    """(source, days since contact) of each current source whose planned cadence has
    run out, for these members; `today_of(owner_id)` is the member's date."""
    rows = (
        SupportSource.objects.filter(
            owner_id__in=list(owner_ids), deleted_at__isnull=True, contact_every_days__isnull=False
        )
        .annotate(last_contact=Max("contacts__contacted_on"))
        .order_by("owner_id", "pk")
    )
    found = []
    for source in rows:
        days = days_since_contact(source, today_of(source.owner_id))
        if days > source.contact_every_days:
            found.append((source, days))
    return found


def _follow_ups(owner_ids, *, since: date, until: date):
    return (
        PlanSource.objects.filter(
            plan__owner_id__in=list(owner_ids),
            plan__status=Plan.Status.ACTIVE,
            outcome=Outcome.FOLLOW_UP,
            follow_up_on__gte=since,
            follow_up_on__lte=until,
        )
        .select_related("source", "plan")
        .order_by("follow_up_on", "pk")
    )


def next_start(activity: Activity, zone: ZoneInfo, now: datetime) -> datetime:
    """When the weekly activity next starts (or started, within the last minute), in
    UTC: its weekday and time on the member's wall clock."""
    local = now.astimezone(zone)
    ahead = (activity.weekday - local.weekday()) % 7
    for days in (ahead, ahead + 7):
        day = local.date() + timedelta(days=days)
        start = datetime.combine(day, activity.time, tzinfo=zone).astimezone(UTC)
        if start > now - timedelta(minutes=1):
            return start
    raise AssertionError("unreachable")


def _lead(choices: DeliveryChoices | None) -> timedelta:
    return timedelta(minutes=choices.meeting_lead_minutes) if choices else DEFAULT_LEAD


def day_nudges(sources, plan_sources, today: date) -> list[Nudge]:
    """Today's nudges with names, from rows a page has read already: the member's
    current sources with their `last_contact` (networks.selectors.network_for) and the
    sources of their active plan. No query of its own."""
    found = []
    for source in sources:
        if source.contact_every_days and source.deleted_at is None:
            days = days_since_contact(source, today)
            if days > source.contact_every_days:
                text = ngettext(
                    "It has been %(days)d day since you talked with %(who)s. "
                    "A short message is enough.",
                    "It has been %(days)d days since you talked with %(who)s. "
                    "A short message is enough.",
                    days,
                ) % {"days": days, "who": _who(source)}
                found.append(Nudge("contact_nudge", text))
    for plan_source in plan_sources:
        on = plan_source.follow_up_on
        if plan_source.outcome != Outcome.FOLLOW_UP or on is None:
            continue
        if today - FOLLOW_UP_SHOWN <= on <= today:
            who = _who(plan_source.source)
            text = (
                gettext("Today is the day you planned to follow up with %(who)s.") % {"who": who}
                if on == today
                else gettext("On %(day)s it was time you planned to follow up with %(who)s.")
                % {"day": local_date(on, "WEEKDAY_DAY"), "who": who}
            )
            found.append(Nudge("followup", text))
    return found


def meeting_nudges(member, *, now: datetime) -> list[Nudge]:
    """Meetings and sessions of the active plan starting within the lead time the
    member chose: two queries."""
    zone = ZoneInfo(member.time_zone)
    lead = _lead(DeliveryChoices.objects.filter(owner=member).first())
    found = []
    for activity in Activity.objects.filter(plan__owner=member, plan__status=Plan.Status.ACTIVE):
        start = next_start(activity, zone, now)
        if start - lead <= now:
            minutes = max(0, round((start - now).total_seconds() / 60))
            words = {
                "title": activity.title,
                "minutes": minutes,
                "time": time_format(start.astimezone(zone)),
            }
            text = (
                gettext("%(title)s starts now. You planned it.") % words
                if minutes == 0
                else ngettext(
                    "%(title)s starts in %(minutes)d minute, at %(time)s. You planned it.",
                    "%(title)s starts in %(minutes)d minutes, at %(time)s. You planned it.",
                    minutes,
                )
                % words
            )
            found.append(Nudge("meeting", text))
    return found


def nudges_for(member, *, now: datetime | None = None) -> list[Nudge]:
    """All of the member's nudges now, with names."""
    now = now or timezone.now()
    zone = ZoneInfo(member.time_zone)
    today = now.astimezone(zone).date()
    with timezone.override(zone):
        sources = [s for s, _ in _overdue_sources([member.pk], today_of=lambda _: today)]
        plan_sources = _follow_ups([member.pk], since=today - FOLLOW_UP_SHOWN, until=today)
        return day_nudges(sources, plan_sources, today) + meeting_nudges(member, now=now)


def dispatch_nudges(*, now: datetime | None = None) -> int:
    """The sweep (beat, every five minutes). Returns how many nudges it recorded.

    1. Overdue contacts and follow-up dates that have come: a notice each, due at
       NUDGE_HOUR of the member's day (or now, when later), unique per source and
       last contact (one nudge per stretch of silence) or per follow-up date.
    2. Meetings and sessions starting within the member's lead time (and the next
       LOOK_AHEAD): a notice due the lead time before, expiring at the start, unique
       per activity and start."""
    now = now or timezone.now()
    recorded = 0
    owners = dict(
        Plan.objects.filter(status=Plan.Status.ACTIVE).values_list("owner_id", "owner__time_zone")
    )
    zones = {owner_id: ZoneInfo(name) for owner_id, name in owners.items()}

    def today_of(owner_id: int) -> date:
        return now.astimezone(zones[owner_id]).date()

    def morning(owner_id: int) -> datetime:
        at = datetime.combine(today_of(owner_id), NUDGE_HOUR, tzinfo=zones[owner_id])
        return max(now, at.astimezone(UTC))

    by_due: dict[tuple, list] = {}
    for source, _ in _overdue_sources(owners, today_of=today_of):
        last = source.last_contact or "added"
        row = (source.owner_id, "contact_nudge", f"contact-{source.pk}-{last}")
        by_due.setdefault((morning(source.owner_id), None), []).append(row)
    earliest = min((today_of(o) for o in owners), default=now.date())
    for plan_source in _follow_ups(owners, since=earliest, until=now.date() + timedelta(days=1)):
        owner_id = plan_source.plan.owner_id
        if plan_source.follow_up_on == today_of(owner_id):
            row = (owner_id, "followup", f"followup-{plan_source.pk}-{plan_source.follow_up_on}")
            by_due.setdefault((morning(owner_id), None), []).append(row)
    choices = {c.owner_id: c for c in DeliveryChoices.objects.filter(owner_id__in=list(owners))}
    activities = Activity.objects.filter(
        plan__status=Plan.Status.ACTIVE, plan__owner_id__in=list(owners)
    ).values_list("pk", "plan__owner_id", "weekday", "time")
    for pk, owner_id, weekday, at in activities:
        start = next_start(Activity(weekday=weekday, time=at), zones[owner_id], now)
        due = start - _lead(choices.get(owner_id))
        if due <= now + LOOK_AHEAD:
            row = (owner_id, "meeting", f"meeting-{pk}-{start:%Y%m%dT%H%M}")
            by_due.setdefault((max(due, now), start), []).append(row)
    for (due_at, expires_at), rows in by_due.items():
        recorded += notices.notices_queue(rows, due_at=due_at, expires_at=expires_at, now=now)
    return recorded
