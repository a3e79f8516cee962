"""Background work for reminders. Tasks take ids only and call plans.reminders."""

import time

from celery import shared_task

from plans import reminders
from recovery_support.celery import DELIVERS_ONCE

# Most of the minute between two beats, and within the task's soft time limit.
SWEEP_BUDGET_SECONDS = 40


@shared_task(ignore_result=True)
def sweep_reminders() -> int:
    """Batch after batch while due schedules remain, so a rush (thousands due at 9:00)
    is queued in one run instead of one batch a minute."""
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    queued = reminders.dispatch_due_reminders()
    while reminders.any_due() and time.monotonic() < deadline:
        queued += reminders.dispatch_due_reminders()
    return queued


@shared_task(**DELIVERS_ONCE)
def deliver_reminders(reminder_ids: list[int]) -> int:
    """A batch of reminders (the sweep queues one per DELIVERY_BATCH)."""
    return reminders.reminders_deliver(reminder_ids=reminder_ids)


@shared_task(**DELIVERS_ONCE)
def deliver_reminder(reminder_id: int) -> bool:
    """One reminder: messages queued before deliveries went by batch."""
    return reminders.reminder_deliver(reminder_id=reminder_id)


@shared_task(ignore_result=True)
def sweep_nudges() -> int:
    from plans import nudges

    return nudges.dispatch_nudges()
