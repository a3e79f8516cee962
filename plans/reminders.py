"""Check-in reminders: found by an indexed sweep, claimed in PostgreSQL, sent once.

Due times live in the database, so an outage of Redis or of the workers delays
reminders but never loses them. Each occurrence is a `Reminder` row, unique per
schedule and due time; delivery claims that row under a lock and sends only
while it is still pending, so a re-run sweep, a second beat, a redelivered task
or two workers at once never send the same reminder twice.
"""

import logging
from datetime import datetime, timedelta
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

from networks import selectors as network_selectors
from networks.gaps import days_overdue
from plans import selectors
from plans.models import Activity, CheckInSchedule, Reminder
from plans.scheduling import next_occurrence
from recovery_support.emails import with_html_alternative
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
SWEEP_BATCH = 1000


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
       running at the same time takes other rows, or none).
    2. For each, record every occurrence up to now: pending if within the grace
       window, skipped if older; move `next_due_at` past now in the member's zone.
    3. After commit, queue one delivery task per pending reminder.
    4. Queue again pending reminders whose task was lost.
    """
    now = now or timezone.now()
    with transaction.atomic():
        schedules = list(
            CheckInSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(paused=False, next_due_at__lte=now)
            .order_by("next_due_at")[:batch]
        )
        reminders = []
        for schedule in schedules:
            due = schedule.next_due_at
            while due <= now:
                late = now - due > GRACE
                reminders.append(
                    Reminder(
                        schedule=schedule,
                        due_at=due,
                        status=Reminder.Status.SKIPPED if late else Reminder.Status.PENDING,
                        queued_at=None if late else now,
                    )
                )
                due = next_occurrence(
                    due,
                    local_time=schedule.local_time,
                    weekdays=schedule.weekdays,
                    zone=schedule.owner.time_zone,
                )
            schedule.next_due_at = due
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
        _move_on(schedules)
        pending = list(
            Reminder.objects.filter(
                schedule__in=schedules, status=Reminder.Status.PENDING, queued_at=now
            ).values_list("pk", flat=True)
        )
        pending += _requeue_lost(now)
        if pending:
            transaction.on_commit(lambda: _enqueue(pending))
    return len(pending)


def any_due() -> bool:
    return CheckInSchedule.objects.filter(paused=False, next_due_at__lte=timezone.now()).exists()


def _move_on(schedules: list[CheckInSchedule]) -> None:
    """Store each schedule's new due time in one statement (bulk_update would build a
    CASE with one branch per row)."""
    if not schedules:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_checkinschedule AS s SET next_due_at = v.due "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, due) WHERE s.id = v.id",
            [[s.pk for s in schedules], [s.next_due_at for s in schedules]],
        )


def _requeue_lost(now: datetime) -> list[int]:
    stale = Reminder.objects.filter(
        status=Reminder.Status.PENDING, queued_at__lt=now - REQUEUE_AFTER
    )
    stale.filter(due_at__lt=now - GRACE).update(status=Reminder.Status.SKIPPED)
    ids = list(stale.values_list("pk", flat=True)[:SWEEP_BATCH])
    Reminder.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


def _enqueue(reminder_ids: list[int]) -> None:
    from plans.tasks import deliver_reminder

    try:
        # One connection for the whole batch, not one per message.
        with deliver_reminder.app.producer_or_acquire() as producer:
            for reminder_id in reminder_ids:
                deliver_reminder.apply_async((reminder_id,), producer=producer)
    except Exception:
        # Redis is down: the rows stay pending and a later sweep queues them again.
        logger.warning("could not queue %d reminders; they will be queued again", len(reminder_ids))


def _enqueue_at(reminder_id: int, eta: datetime) -> None:
    from plans.tasks import deliver_reminder

    try:
        deliver_reminder.apply_async((reminder_id,), eta=eta)
    except Exception:
        # Redis is down: the row stays pending (queued_at = eta) and a sweep after
        # then queues it again.
        logger.warning("could not queue held reminder %d", reminder_id)


def reminder_deliver(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Send one reminder if it is still pending, not too late, and the member has not
    checked in that day already. Returns whether an email went out.

    The row stays locked until the email is handed over and the row marked sent,
    so a second delivery of the same reminder waits, then finds it sent."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("schedule__owner")
            .filter(pk=reminder_id, status=Reminder.Status.PENDING)
            .first()
        )
        if reminder is None:
            return False
        owner = reminder.schedule.owner
        channels, held_until = push_services.delivery_for(owner, "checkin", now)
        _, quiet_at_due = push_services.delivery_for(owner, "checkin", reminder.due_at)
        # Late counts from when the member could first be reached (after quiet hours).
        if now - (quiet_at_due or reminder.due_at) > GRACE:
            reminder.status = Reminder.Status.SKIPPED
            reminder.save(update_fields=["status"])
            return False
        if _checked_in(reminder):
            reminder.status = Reminder.Status.CHECKED_IN
            reminder.save(update_fields=["status"])
            return False
        if held_until is not None:  # their quiet hours: again when those end
            reminder.queued_at = held_until
            reminder.save(update_fields=["queued_at"])
            transaction.on_commit(lambda: _enqueue_at(reminder.pk, held_until))
            return False
        if not channels:  # they chose no check-in reminders
            reminder.status = Reminder.Status.SKIPPED
            reminder.save(update_fields=["status"])
            return False
        if "email" in channels:
            _send_email(reminder)
        reminder.status = Reminder.Status.SENT
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["status", "sent_at"])
    # And to each device the member turned notifications on for: no name, no link.
    if "push" in channels:
        push_services.push_send(user=reminder.schedule.owner, kind="checkin")
    return True


def _checked_in(reminder: Reminder) -> bool:
    """Whether the member has already checked in on the day the reminder is for (their
    day at its due time, by plans/days.py: a check-in made since counts too)."""
    _, todays = selectors.checkin_today(reminder.schedule.owner, now=reminder.due_at)
    return todays is not None


def _send_email(reminder: Reminder) -> None:
    owner = reminder.schedule.owner
    with timezone.override(ZoneInfo(owner.time_zone)):
        context = {"name": owner.display_name, "link": link_url(reminder), **_digest(owner)}
        body = render_to_string("plans/email/reminder.txt", context)
    message = EmailMultiAlternatives(
        subject="Time for your check-in",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
        # The same id every time this reminder is sent: mail systems can drop a repeat.
        headers={"Message-ID": f"<reminder-{reminder.pk}@{urlsplit(settings.SITE_URL).hostname}>"},
    )
    with_html_alternative(message).send()


def _digest(owner) -> dict:
    """What else today holds, folded into this one quiet email: today's meetings and
    how many planned contacts are overdue. Times and counts only: names, groups and
    plan details stay in the app, behind the sign-in."""
    network = network_selectors.network_for(owner)
    overdue = sum(1 for s in network.sources if days_overdue(s, network.today) is not None)
    meetings = sorted(
        Activity.objects.filter(plan__owner=owner, weekday=network.today.weekday()).values_list(
            "time", flat=True
        )
    )
    return {"meeting_times": [time_format(t) for t in meetings], "overdue_contacts": overdue}


def link_token(reminder: Reminder) -> str:
    return signing.dumps(
        {"r": reminder.pk, "u": reminder.schedule.owner_id}, salt=LINK_SALT, compress=True
    )


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
