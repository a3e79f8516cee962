import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_support.settings")

app = Celery("recovery_support")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _warm_up(**_) -> None:
    """In the worker's main process, before it forks its pool: each pool process starts
    with every view imported and every template compiled."""
    from recovery_support.warm import warm_up

    warm_up()


# How our tasks that send something are run (`@shared_task(**SENDS)`): retried when the
# mail server or push service does not answer. DELIVERS_ONCE adds that a task is
# acknowledged only when done and handed to another worker if this one dies mid-way;
# the task itself claims its row, so a second run sends nothing twice.
SENDS = {"ignore_result": True, "autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}
DELIVERS_ONCE = {**SENDS, "acks_late": True, "reject_on_worker_lost": True}
