"""Practical help a member asks for and a supporter takes on: reads and writes.

Who is offered a request: the member's supporters with a live grant, all of them or
the ones chosen, never one the member's network marks a risk. Taking one on is a
guarded UPDATE (… WHERE claimed_by IS NULL), so of two supporters pressing at the
same moment exactly one gets it. A request closes by itself: once `open_until` has
passed, every read here leaves it out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext

from networks.models import Influence, SupportSource
from recovery_support.dates import local_date
from sharing import tasks
from sharing.models import Grant, HelpRequest, Role

# A request the member still sees among their own after its time: to thank someone.
KEEP_SHOWING = timedelta(days=14)
# The claimer's reminder: a day before, or two hours before when they took it on later
# than that; none when even that is less than an hour after taking it on.
REMINDER_LEADS = (timedelta(days=1), timedelta(hours=2))
REMINDER_MIN_GAP = timedelta(hours=1)
# For "any time this week": the morning of the week's last day.
LAST_DAY_REMINDER = time(9, 0)


def _zone(member) -> ZoneInfo:
    return ZoneInfo(member.time_zone)


def week_end(now: datetime, zone: ZoneInfo) -> datetime:
    """The end of this week where the member is: Monday 00:00 after the coming Sunday."""
    today = now.astimezone(zone).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(0), tzinfo=zone)


def when_text(help_request: HelpRequest) -> str:
    """When, in words and in the member's zone: "Tuesday 14 May, 6:30 PM", or "any time
    this week (until Sunday 19 May)", in the active language (an email's, its
    recipient's). The day is given as a date, so no other zone moves it."""
    zone = _zone(help_request.member)
    if help_request.at is not None:
        at = help_request.at.astimezone(zone)
        return gettext("%(day)s, %(time)s") % {
            "day": local_date(at.date(), "WEEKDAY_DAY"),
            "time": time_format(at),
        }
    last_day = (help_request.open_until.astimezone(zone) - timedelta(seconds=1)).date()
    return gettext("any time this week (until %(day)s)") % {
        "day": local_date(last_day, "WEEKDAY_DAY")
    }


# --- Who may be offered a request ---------------------------------------------------


def _risky_sources(member_id, source_id, email) -> QuerySet[SupportSource]:
    """The member's live sources marked a risk that are this person: the one the
    member linked to the grant, or one with their email address."""
    person = Q(pk=source_id) if source_id is not None else Q(pk__in=[])
    if email:
        person |= Q(email__iexact=email)
    return SupportSource.objects.filter(
        person, owner_id=member_id, influence=Influence.RISK, deleted_at__isnull=True
    )


def _risky_grant() -> Exists:
    """For a query on grants: the grantee is a risky tie of the member."""
    return Exists(
        SupportSource.objects.filter(
            Q(pk=OuterRef("source_id"))
            | (Q(email__iexact=OuterRef("grantee__email")) & ~Q(email="")),
            owner_id=OuterRef("member_id"),
            influence=Influence.RISK,
            deleted_at__isnull=True,
        )
    )


def supporters_to_offer(member) -> list[Grant]:
    """The member's supporters who may be offered a request, by name."""
    grants = (
        Grant.objects.active()
        .filter(member=member, role=Role.SUPPORTER)
        .exclude(_risky_grant())
        .select_related("grantee")
    )
    return sorted(grants, key=lambda g: str(g.grantee).casefold())


def audience(help_request: HelpRequest) -> QuerySet[Grant]:
    """The grants a request is offered to now."""
    grants = (
        Grant.objects.active()
        .filter(member_id=help_request.member_id, role=Role.SUPPORTER)
        .exclude(_risky_grant())
    )
    if not help_request.for_everyone:
        grants = grants.filter(help_requests=help_request)
    return grants


def _offered(grant: Grant, now: datetime, *, open_only: bool = True) -> QuerySet[HelpRequest]:
    """Requests of the grant's member offered to its grantee and still to come: the
    open ones (or, with open_only=False, those taken on too). The grant is live
    (grant_for found it). Nothing at all for a risky tie."""
    risky = _risky_sources(grant.member_id, grant.source_id, grant.grantee.email)
    offered = HelpRequest.objects.filter(
        Q(for_everyone=True) | Q(offered_to=grant),
        ~Exists(risky),
        member_id=grant.member_id,
        cancelled_at__isnull=True,
        open_until__gt=now,
    )
    return offered.filter(claimed_by__isnull=True) if open_only else offered


# --- Reads ------------------------------------------------------------------------


@dataclass
class SupporterHelp:
    open: list[HelpRequest] = field(default_factory=list)
    yours: list[HelpRequest] = field(default_factory=list)  # taken on, still to come
    taken: list[HelpRequest] = field(default_factory=list)  # by someone else
    thanked: list[HelpRequest] = field(default_factory=list)


def help_for_supporter(grant: Grant, *, now: datetime | None = None) -> SupporterHelp:
    """What the supporter's home shows of the member's requests, in one query: those
    offered to them (open, or taken on by someone else), the ones they took on, and
    the thanks they received."""
    now = now or timezone.now()
    offered = _offered(grant, now, open_only=False).values("pk")
    rows = (
        HelpRequest.objects.filter(member_id=grant.member_id, cancelled_at__isnull=True)
        .filter(
            Q(pk__in=offered) | Q(claimed_by_id=grant.grantee_id, open_until__gt=now - KEEP_SHOWING)
        )
        .select_related("member", "claimed_by")
    )
    found = SupporterHelp()
    for row in rows:
        row.when = when_text(row)
        if row.claimed_by_id is None:
            found.open.append(row)
        elif row.claimed_by_id != grant.grantee_id:
            found.taken.append(row)
        else:
            if row.open_until > now:
                found.yours.append(row)
            if row.thanked_at:
                found.thanked.append(row)
    return found


@dataclass
class MemberHelp:
    open: list[HelpRequest] = field(default_factory=list)
    taken: list[HelpRequest] = field(default_factory=list)
    past: list[HelpRequest] = field(default_factory=list)


def help_for_member(member, *, now: datetime | None = None) -> MemberHelp:
    """The member's own requests: open, taken on (to come, or past and to thank), and
    the recent ones that closed. A fixed handful of queries."""
    now = now or timezone.now()
    rows = (
        HelpRequest.objects.filter(member=member, open_until__gt=now - KEEP_SHOWING)
        .select_related("member", "claimed_by")
        .prefetch_related(Prefetch("offered_to", queryset=Grant.objects.select_related("grantee")))
    )
    found = MemberHelp()
    for row in rows:
        row.when = when_text(row)
        row.upcoming = row.open_until > now
        if row.cancelled_at:
            found.past.append(row)
        elif row.claimed_by_id:
            found.taken.append(row)
        elif row.open_until > now:
            found.open.append(row)
        else:
            found.past.append(row)
    return found


def own_request(member, pk: int) -> HelpRequest | None:
    return (
        HelpRequest.objects.select_related("member", "claimed_by")
        .filter(pk=pk, member=member)
        .first()
    )


# --- Writes -----------------------------------------------------------------------


def help_request_create(
    *,
    member,
    kind: str,
    on: date | None,
    at_time: time | None,
    where: str,
    note: str,
    chosen: list[Grant] | None,
) -> HelpRequest:
    """1. the time in the member's zone (or the end of this week); 2. the request, with
    the chosen supporters (None: all of them); 3. once committed, an email to each
    supporter it is offered to."""
    zone = _zone(member)
    at = None if on is None else datetime.combine(on, at_time, tzinfo=zone)
    with transaction.atomic():
        help_request = HelpRequest.objects.create(
            member=member,
            kind=kind,
            at=at,
            open_until=at or week_end(timezone.now(), zone),
            where=where,
            note=note,
            for_everyone=chosen is None,
        )
        if chosen:
            help_request.offered_to.set(chosen)
        transaction.on_commit(lambda: tasks.announce_help_request.delay(help_request.pk))
    return help_request


def reminder_time(help_request: HelpRequest, claimed_at: datetime) -> datetime | None:
    """When the claimer is reminded: see REMINDER_LEADS."""
    if help_request.at is None:
        zone = _zone(help_request.member)
        last_day = (help_request.open_until.astimezone(zone) - timedelta(seconds=1)).date()
        morning = datetime.combine(last_day, LAST_DAY_REMINDER, tzinfo=zone)
        return morning if morning >= claimed_at + REMINDER_MIN_GAP else None
    for lead in REMINDER_LEADS:
        if help_request.at - lead >= claimed_at + REMINDER_MIN_GAP:
            return help_request.at - lead
    return None


def help_request_claim(*, grant: Grant, pk: int) -> bool:
    """The supporter takes the request on, if it is still open and offered to them.
    Returns whether they got it: one UPDATE guarded by `claimed_by IS NULL`, so of two
    at once the second changes nothing (PostgreSQL makes it wait, then re-checks)."""
    now = timezone.now()
    help_request = _offered(grant, now).select_related("member").filter(pk=pk).first()
    if help_request is None:
        return False
    return bool(
        HelpRequest.objects.filter(
            pk=pk, claimed_by__isnull=True, cancelled_at__isnull=True, open_until__gt=now
        ).update(
            claimed_by=grant.grantee_id,
            claimed_at=now,
            remind_at=reminder_time(help_request, now),
            reminder_queued_at=None,
            reminded_at=None,
        )
    )


def help_request_hand_back(*, grant: Grant, pk: int, note: str) -> bool:
    """The claimer can't do it after all: the request is open again (to everyone it
    was offered to), with their word for the member, who is emailed."""
    now = timezone.now()
    handed_back = HelpRequest.objects.filter(
        pk=pk,
        member_id=grant.member_id,
        claimed_by=grant.grantee_id,
        cancelled_at__isnull=True,
        open_until__gt=now,
    ).update(
        claimed_by=None,
        claimed_at=None,
        remind_at=None,
        reminder_queued_at=None,
        handed_back_by_name=str(grant.grantee),
        handed_back_note=note,
        handed_back_at=now,
    )
    if handed_back:
        transaction.on_commit(lambda: tasks.send_help_handed_back.delay(pk))
    return bool(handed_back)


def help_request_cancel(*, help_request: HelpRequest) -> bool:
    """The member no longer needs it. Whoever had taken it on is told."""
    cancelled = HelpRequest.objects.filter(pk=help_request.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), remind_at=None
    )
    if cancelled and help_request.claimed_by_id:
        claimer_id = help_request.claimed_by_id
        transaction.on_commit(lambda: tasks.send_help_cancelled.delay(help_request.pk, claimer_id))
    return bool(cancelled)


def thanks_draft(help_request: HelpRequest) -> str:
    """A first draft of the thank-you, for the member to make their own."""
    # Whole sentences, one per kind, so each language can say it its own way.
    kind = HelpRequest.Kind
    draft = {
        kind.RIDE: gettext(
            "Thank you, %(name)s, for the ride. It made a real difference to me, and I'm grateful."
        ),
        kind.MEAL: gettext(
            "Thank you, %(name)s, for the meal. It made a real difference to me, and I'm grateful."
        ),
        kind.CHILDCARE: gettext(
            "Thank you, %(name)s, for looking after the children. It made a real "
            "difference to me, and I'm grateful."
        ),
        kind.COMPANY: gettext(
            "Thank you, %(name)s, for your company. It made a real difference to me, and "
            "I'm grateful."
        ),
        kind.ERRANDS: gettext(
            "Thank you, %(name)s, for your help with the errands. It made a real "
            "difference to me, and I'm grateful."
        ),
        kind.MONEY_LEGAL: gettext(
            "Thank you, %(name)s, for your help with the paperwork. It made a real "
            "difference to me, and I'm grateful."
        ),
    }.get(
        help_request.kind,
        gettext(
            "Thank you, %(name)s, for your help. It made a real difference to me, and I'm grateful."
        ),
    )
    return draft % {"name": help_request.claimed_by}


def help_request_thank(*, help_request: HelpRequest, thanks: str) -> bool:
    """Save the member's thank-you and email it to the claimer (once)."""
    thanked = HelpRequest.objects.filter(
        pk=help_request.pk, claimed_by__isnull=False, thanked_at__isnull=True
    ).update(thanks=thanks, thanked_at=timezone.now())
    if thanked:
        transaction.on_commit(lambda: tasks.send_help_thanks.delay(help_request.pk))
    return bool(thanked)
