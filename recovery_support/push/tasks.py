"""Background work of the outbox (notices.py). Tasks take ids only."""

from celery import shared_task

from recovery_support.celery import DELIVERS_ONCE
from recovery_support.push import notices


@shared_task(ignore_result=True)
def sweep_notices() -> int:
    return notices.dispatch_due_notices()


@shared_task(**DELIVERS_ONCE)
def deliver_notices(notice_ids: list[int]) -> int:
    return notices.notices_deliver(notice_ids=notice_ids)
