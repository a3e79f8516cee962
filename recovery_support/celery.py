import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_support.settings")

app = Celery("recovery_support")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How our tasks that send something are run (`@shared_task(**SENDS)`): retried when the
# mail server or push service does not answer. DELIVERS_ONCE adds that a task is
# acknowledged only when done and handed to another worker if this one dies mid-way;
# the task itself claims its row, so a second run sends nothing twice.
SENDS = {"ignore_result": True, "autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}
DELIVERS_ONCE = {**SENDS, "acks_late": True, "reject_on_worker_lost": True}
