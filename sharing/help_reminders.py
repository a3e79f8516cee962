"""Reminders to whoever took a help request on: the design of the check-in reminders
(plans/reminders.py), on the request's own row.

`remind_at` is the due column, under a partial index of the rows that have one. The
sweep claims due rows with SELECT … FOR UPDATE SKIP LOCKED (a second sweep at the
same time takes other rows, or none) and stamps them queued; delivery locks the row
and sends only while `remind_at` is still set, then clears it. So a re-run sweep, a
redelivered task or two workers never send one reminder twice, and a reminder whose
message was lost with Redis is queued again by a later sweep.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from recovery_support.push import services as push_services
from sharing import help_emails
from sharing.models import HelpRequest

logger = logging.getLogger(__name__)

REQUEUE_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 500


def _due(now: datetime):
    return HelpRequest.objects.filter(remind_at__lte=now).filter(
        Q(reminder_queued_at__isnull=True) | Q(reminder_queued_at__lt=now - REQUEUE_AFTER)
    )


def dispatch_due_help_reminders(*, now: datetime | None = None) -> int:
    """The sweep (Celery beat, every minute). Returns how many reminders it queued.

    1. Claim due rows (never queued, or queued long ago and not sent) under a lock
       that skips rows another sweep holds.
    2. Those whose help is already past are dropped (remind_at cleared), not sent.
    3. The rest are stamped queued; after commit, one delivery task each."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            _due(now)
            .select_for_update(skip_locked=True)
            .order_by("remind_at")
            .values_list("pk", "open_until")[:SWEEP_BATCH]
        )
        late = [pk for pk, open_until in rows if open_until <= now]
        queued = [pk for pk, open_until in rows if open_until > now]
        HelpRequest.objects.filter(pk__in=late).update(remind_at=None)
        HelpRequest.objects.filter(pk__in=queued).update(reminder_queued_at=now)
        if queued:
            transaction.on_commit(lambda: _enqueue(queued))
    return len(queued)


def _enqueue(ids: list[int]) -> None:
    from sharing.tasks import deliver_help_reminder

    try:
        with deliver_help_reminder.app.producer_or_acquire() as producer:
            for pk in ids:
                deliver_help_reminder.apply_async((pk,), producer=producer)
    except Exception:
        # Redis is down: the rows stay due and a later sweep queues them again.
        logger.warning("could not queue %d help reminders; they will be queued again", len(ids))


def help_reminder_deliver(*, help_request_id: int, now: datetime | None = None) -> bool:
    """Send one reminder if it is still due, the way the claimer chose for help
    requests. Returns whether it went.

    The row stays locked until the email is handed over and `remind_at` cleared, so a
    second delivery of the same reminder waits, then finds nothing to do. In the
    claimer's quiet hours `remind_at` moves to when they end (and the sweep finds it
    then), unless the help itself comes first."""
    now = now or timezone.now()
    with transaction.atomic():
        help_request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .select_related("member", "claimed_by")
            .filter(
                pk=help_request_id,
                remind_at__isnull=False,
                claimed_by__isnull=False,
                cancelled_at__isnull=True,
            )
            .first()
        )
        if help_request is None:
            return False
        claimer = help_request.claimed_by
        channels, held_until = push_services.delivery_for(claimer, "help_request", now)
        if held_until is not None and held_until < help_request.open_until:
            help_request.remind_at, help_request.reminder_queued_at = held_until, None
            help_request.save(update_fields=["remind_at", "reminder_queued_at"])
            return False
        sent = help_request.open_until > now and held_until is None and bool(channels)
        if sent:
            if "email" in channels:
                help_emails.reminder_send(help_request=help_request)
            help_request.reminded_at = timezone.now()
        help_request.remind_at = None
        help_request.save(update_fields=["remind_at", "reminded_at"])
    if sent and "push" in channels:
        push_services.push_send(user=claimer, kind="help_request")
    return sent
