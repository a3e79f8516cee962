"""Background work for reminders. Tasks take ids only and call plans.reminders."""

from celery import shared_task

from plans import reminders


@shared_task(ignore_result=True)
def sweep_reminders() -> int:
    return reminders.dispatch_due_reminders()


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def deliver_reminder(reminder_id: int) -> bool:
    return reminders.reminder_deliver(reminder_id=reminder_id)
