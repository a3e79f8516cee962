"""Check-in reminders: found by an indexed sweep, claimed in PostgreSQL, sent once.

Due times live in the database, so an outage of Redis or of the workers delays
reminders but never loses them. Each occurrence is a `Reminder` row, unique per
schedule and due time; delivery claims that row under a lock and sends only
while it is still pending, so a re-run sweep, a second beat, a redelivered task
or two workers at once never send the same reminder twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext

from networks import selectors as network_selectors
from networks.gaps import days_overdue
from plans import selectors
from plans.models import Activity, CheckInSchedule, Reminder
from plans.scheduling import next_occurrence
from recovery_support.arrays import literal
from recovery_support.emails import Email, in_language_of, with_html_alternative
from recovery_support.push import notices
from recovery_support.push import services as push_services

logger = logging.getLogger(__name__)

# A reminder later than this after its time is recorded as skipped, not sent.
GRACE = timedelta(hours=2)
# A pending reminder queued this long ago whose task never ran is queued again
# (its message may have been lost with Redis).
REQUEUE_AFTER = timedelta(minutes=5)
# How long the one-click link in a reminder email works.
LINK_MAX_AGE = timedelta(hours=24)
LINK_SALT = "plans.reminder-link"
SWEEP_BATCH = 5000
DELIVERY_BATCH = 100  # reminders per delivery task: one SMTP connection each


def schedule_start(*, schedule: CheckInSchedule, now: datetime | None = None) -> None:
    """Set the first due time from now (after a change of time, days, zone or pause)."""
    schedule.next_due_at = (
        None
        if schedule.paused
        else next_occurrence(
            now or timezone.now(),
            local_time=schedule.local_time,
            weekdays=schedule.weekdays,
            zone=schedule.owner.time_zone,
        )
    )


def dispatch_due_reminders(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """The sweep (Celery beat, every minute). Returns how many reminders it queued.

    1. Claim due schedules with SELECT … FOR UPDATE SKIP LOCKED (a second sweep
       running at the same time takes other rows, or none): their ids, due times and
       zones only, no model instances.
    2. Record every occurrence up to now in one INSERT … ON CONFLICT DO NOTHING:
       pending if within the grace window, skipped if older; move each schedule's
       `next_due_at` past now in the member's zone, in one UPDATE.
    3. Queue again pending reminders whose task was lost (or whose quiet hours have
       ended and whose timed task was lost).
    4. After commit, queue one delivery task per DELIVERY_BATCH reminders.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            CheckInSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(paused=False, next_due_at__lte=now)
            .order_by("next_due_at")
            .values_list("pk", "next_due_at", "local_time", "weekdays", "owner__time_zone")[:batch]
        )
        rows: list[tuple[int, datetime, str, datetime | None]] = []
        moved: list[tuple[int, datetime]] = []
        for pk, due, local_time, weekdays, zone in claimed:
            while due <= now:
                late = now - due > GRACE
                status = Reminder.Status.SKIPPED if late else Reminder.Status.PENDING
                rows.append((pk, due, status, None if late else now))
                due = _next(due, local_time, tuple(weekdays), zone)
            moved.append((pk, due))
        pending = _record(rows)
        _move_on(moved)
        pending += _requeue_lost(now)
        if pending:
            transaction.on_commit(lambda: _enqueue(pending))
    return len(pending)


@lru_cache(maxsize=4096)
def _next(after: datetime, local_time, weekdays: tuple[int, ...], zone: str) -> datetime:
    """next_occurrence, once for the many schedules sharing a time, days and zone (a
    rush at 9:00 in one city is one computation)."""
    return next_occurrence(after, local_time=local_time, weekdays=weekdays, zone=zone)


def any_due() -> bool:
    return CheckInSchedule.objects.filter(paused=False, next_due_at__lte=timezone.now()).exists()


def _record(rows: list[tuple[int, datetime, str, datetime | None]]) -> list[int]:
    """Insert the reminders (schedule, due, status, queued) in one statement; an
    occurrence recorded already stays as it is. Returns the new pending ones."""
    if not rows:
        return []
    # Each column as one array's text (arrays.literal: psycopg quoting 20,000 elements
    # one by one took a third of the sweep).
    schedules, dues, statuses, queued = (literal(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO plans_reminder (schedule_id, due_at, status, queued_at) "
            "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], "
            "%s::timestamptz[]) ON CONFLICT DO NOTHING RETURNING id, status",
            [schedules, dues, statuses, queued],
        )
        return [pk for pk, status in cursor.fetchall() if status == Reminder.Status.PENDING]


def _move_on(moved: list[tuple[int, datetime]]) -> None:
    """Store each schedule's new due time in one statement (bulk_update would build a
    CASE with one branch per row)."""
    if not moved:
        return
    ids, dues = (literal(column) for column in zip(*moved, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_checkinschedule AS s SET next_due_at = v.due "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, due) WHERE s.id = v.id",
            [ids, dues],
        )


def _requeue_lost(now: datetime) -> list[int]:
    """Pending reminders queued long ago and not sent: their task was lost (Redis, a
    killed worker), or they were held by quiet hours (`queued_at` then is when those
    end) and their timed task was lost. Delivery decides whether each is still in
    time: lateness counts from the end of the member's quiet hours, which only it
    knows, so none is skipped here."""
    ids = list(
        Reminder.objects.filter(
            status=Reminder.Status.PENDING, queued_at__lt=now - REQUEUE_AFTER
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if ids:
        Reminder.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


def _enqueue(reminder_ids: list[int]) -> None:
    from plans.tasks import deliver_reminders

    # One connection for the whole sweep, one message per batch.
    notices.enqueue_in_batches(
        deliver_reminders, reminder_ids, size=DELIVERY_BATCH, what="reminders"
    )


def _enqueue_at(held: dict[datetime, list[int]]) -> None:
    from plans.tasks import deliver_reminders

    try:
        for eta, ids in held.items():
            deliver_reminders.apply_async((ids,), eta=eta)
    except Exception:
        # Redis is down: the rows stay pending (queued_at = the end of the quiet
        # hours) and a sweep after then queues them again.
        logger.warning("could not queue %d held reminders", sum(map(len, held.values())))


def reminder_deliver(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Send one reminder (reminders_deliver of one). Returns whether it went."""
    return reminders_deliver(reminder_ids=[reminder_id], now=now) == 1


@dataclass
class _Batch:
    """What a batch of reminders needs, read in a fixed handful of queries."""

    reminders: list[Reminder]
    choices: dict
    latest_checkins: dict
    meetings: dict
    overdue: dict


def _read_batch(reminder_ids: list[int]) -> _Batch:
    reminders = list(
        Reminder.objects.filter(pk__any_of=reminder_ids, status=Reminder.Status.PENDING)
        .select_related("schedule__owner")
        .order_by("pk")
    )
    owners = {r.schedule.owner_id for r in reminders}
    return _Batch(
        reminders=reminders,
        choices=push_services.choices_of(owners),
        latest_checkins=selectors.latest_checkins(owners),
        meetings=_meetings_of(owners),
        overdue=network_selectors.overdue_sources_of(owners),
    )


def reminders_deliver(*, reminder_ids: list[int], now: datetime | None = None) -> int:
    """Send a batch of reminders. Returns how many went.

    1. Read the batch in bulk: the pending reminders and their members, their
       choices, their latest check-ins, and what else their day holds.
    2. Record in bulk those not to send: too late (counted from the end of the
       member's quiet hours), their day already checked in, or no way chosen. Hold
       those in quiet hours: `queued_at` becomes when the hours end (a timed task,
       and the sweep if that task is lost).
    3. Send the rest (notices.send_each): the emails one by one over one SMTP
       connection, each claimed by a guarded UPDATE … WHERE status = 'pending' in a
       transaction of its own, committed once its email is handed over (a worker
       killed mid-batch has marked exactly the ones it handed over); those with a
       notification only, claimed together in one such UPDATE.
    4. Then the notifications to the devices of those who chose them."""
    now = now or timezone.now()
    batch = _read_batch(reminder_ids)
    skipped, checked_in, to_send = [], [], []
    held: dict[datetime, list[int]] = defaultdict(list)
    for reminder in batch.reminders:
        owner = reminder.schedule.owner
        choices = batch.choices.get(owner.pk)
        channels, held_until = push_services.delivery_for(owner, "checkin", now, choices=choices)
        _, quiet_at_due = push_services.delivery_for(
            owner, "checkin", reminder.due_at, choices=choices
        )
        if now - (quiet_at_due or reminder.due_at) > GRACE:
            skipped.append(reminder.pk)
        elif selectors.checked_in_by(owner, batch.latest_checkins.get(owner.pk), reminder.due_at):
            checked_in.append(reminder.pk)
        elif held_until is not None:
            held[held_until].append(reminder.pk)
        elif not channels:
            skipped.append(reminder.pk)
        else:
            to_send.append((reminder, channels))
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    pending.filter(pk__in=skipped).update(status=Reminder.Status.SKIPPED)
    pending.filter(pk__in=checked_in).update(status=Reminder.Status.CHECKED_IN)
    if held:
        with transaction.atomic():
            for until, ids in held.items():
                pending.filter(pk__in=ids).update(queued_at=until)
            transaction.on_commit(lambda: _enqueue_at(held))

    went = notices.send_each(
        to_send,
        model=Reminder,
        email=lambda item: _email(item[0], batch),
    )
    # To each device the member turned notifications on for: no name, no link.
    pushed = [reminder.schedule.owner_id for reminder, channels in went if "push" in channels]
    if pushed:
        push_services.push_send_many(user_ids=pushed, kind="checkin")
    return len(went)


def _email(reminder: Reminder, batch: _Batch) -> EmailMultiAlternatives:
    owner = reminder.schedule.owner
    zone = ZoneInfo(owner.time_zone)
    # In the member's language and zone, whoever's request or worker sends it.
    with timezone.override(zone), in_language_of(owner):
        today = timezone.localdate()
        context = {
            "name": owner.display_name,
            "link": link_url(reminder),
            **_digest(owner, today, batch),
        }
        body = render_to_string("plans/email/reminder.txt", context)
        message = Email(
            subject=gettext("Time for your check-in"),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[owner.email],
            # The same id every time this reminder is sent: mail systems can drop a repeat.
            headers={
                "Message-ID": f"<reminder-{reminder.pk}@{urlsplit(settings.SITE_URL).hostname}>"
            },
        )
        return with_html_alternative(message)


def _meetings_of(owner_ids) -> dict[int, list[tuple[int, time]]]:
    """{member id: [(weekday, time)]} of the meetings in their plans (one query)."""
    found = defaultdict(list)
    rows = Activity.objects.filter(plan__owner_id__any_of=owner_ids).values_list(
        "plan__owner_id", "weekday", "time"
    )
    for owner_id, weekday, at in rows:
        found[owner_id].append((weekday, at))
    return found


def _digest(owner, today: date, batch: _Batch) -> dict:
    """What else today holds, folded into this one quiet email: today's meetings and
    how many planned contacts are overdue. Times and counts only: names, groups and
    plan details stay in the app, behind the sign-in."""
    overdue = sum(1 for s in batch.overdue.get(owner.pk, []) if days_overdue(s, today) is not None)
    meetings = sorted(
        at for weekday, at in batch.meetings.get(owner.pk, []) if weekday == today.weekday()
    )
    return {"meeting_times": [time_format(t) for t in meetings], "overdue_contacts": overdue}


def link_token(reminder: Reminder) -> str:
    # Not compressed: two ids are shorter as they are (dumps would try zlib, then drop it).
    return signing.dumps({"r": reminder.pk, "u": reminder.schedule.owner_id}, salt=LINK_SALT)


def link_url(reminder: Reminder) -> str:
    return settings.SITE_URL + reverse("plans:reminder-link", args=[link_token(reminder)])


class LinkError(Exception):
    """Why a reminder link does not open: expired, used, tampered or someone else's."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def reminder_link_use(*, token: str, user) -> Reminder:
    """Check a one-click link and mark it used. Raises LinkError with the reason."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE.total_seconds())
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise LinkError("other_account")
    claimed = Reminder.objects.filter(
        pk=data.get("r"), schedule__owner=user, link_used_at__isnull=True
    ).update(link_used_at=timezone.now())
    if not claimed:
        raise LinkError("used")
    return Reminder.objects.get(pk=data["r"])
