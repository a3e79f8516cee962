"""Reminders end to end with a real Celery worker, Redis, and an SMTP sink on loopback."""

import os
import re
import signal
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psutil
import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule, Reminder
from plans.tasks import deliver_reminder, sweep_reminders
from tests.compose import service_command
from tests.conftest import subprocess_env, wait_until
from tests.factories import UserFactory
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def worker_env(sink: SmtpSink) -> dict[str, str]:
    return subprocess_env(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port), EMAIL_USE_TLS="false")


def due_reminders(count: int) -> tuple[list, list[int]]:
    """`count` members, each with a reminder due a moment ago and queued."""
    owners = [UserFactory() for _ in range(count)]
    due = timezone.now() - timedelta(seconds=5)
    reminder_ids = [
        Reminder.objects.create(
            schedule=CheckInSchedule.objects.create(owner=owner, next_due_at=None),
            due_at=due,
            queued_at=timezone.now(),
        ).pk
        for owner in owners
    ]
    return owners, reminder_ids


def test_a_reminder_goes_from_schedule_to_inbox_to_a_saved_check_in(start_process, client, member):
    CheckInSchedule.objects.create(owner=member, next_due_at=timezone.now() - timedelta(seconds=5))
    with SmtpSink() as sink:
        worker = start_process(service_command("worker"), env=worker_env(sink))
        sweep_reminders.delay()  # what beat does every minute, through Redis

        def arrived():
            assert worker.poll() is None, worker.log_path.read_text()
            return sink.messages

        wait_until(arrived, timeout=60, message="no reminder email arrived")
        assert len(sink.messages) == 1
        assert sink.messages[0]["To"] == member.email
        text = sink.bodies()[0]
    link = re.search(r"https?://\S+/plan/checkin/link/\S+/", text).group(0)
    assert Reminder.objects.get().status == "sent"

    client.force_login(member)
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 302 and opened.url == reverse("plans:checkin")
    saved = client.post(opened.url, {"mood": "4", "craving": "2"})
    assert saved.status_code in (200, 302)
    assert CheckIn.objects.get(owner=member).mood == 4


def test_a_worker_killed_while_sending_still_delivers_each_reminder_once(start_process):
    owners, reminder_ids = due_reminders(3)
    with SmtpSink() as sink:
        sink.hold.set()  # the first email waits at the SMTP server
        args = [*service_command("worker"), "--concurrency", "1"]
        worker = start_process(args, env=worker_env(sink))
        for reminder_id in reminder_ids:
            deliver_reminder.delay(reminder_id)
        wait_until(sink.receiving.is_set, timeout=60, message="no delivery started")
        children = psutil.Process(worker.pid).children()
        assert children, "the worker has a pool process"
        os.kill(children[0].pid, signal.SIGKILL)  # killed mid-delivery
        time.sleep(1)
        sink.hold.clear()

        def all_sent():
            assert worker.poll() is None, worker.log_path.read_text()
            return Reminder.objects.filter(pk__in=reminder_ids, status="sent").count() == 3

        wait_until(all_sent, timeout=90, message="not every reminder was delivered")
        time.sleep(2)  # anything sent twice would arrive now
        recipients = sorted(message["To"] for message in sink.messages)
    assert recipients == sorted(owner.email for owner in owners)


def test_a_worker_killed_mid_batch_sends_each_reminder_of_the_batch_once(start_process):
    """One task for five reminders; the pool process is killed while the third email
    waits at the SMTP server. The two handed over are marked sent as they went; the
    task comes back and sends the other three, and nothing twice."""
    from plans.tasks import deliver_reminders

    owners, reminder_ids = due_reminders(5)
    with SmtpSink() as sink:
        sink.hold_from = 2  # the third email waits at the SMTP server
        sink.hold.set()
        args = [*service_command("worker"), "--concurrency", "1"]
        worker = start_process(args, env=worker_env(sink))
        deliver_reminders.delay(reminder_ids)
        wait_until(sink.receiving.is_set, timeout=60, message="no delivery started")
        assert len(sink.messages) == 2
        assert Reminder.objects.filter(pk__in=reminder_ids, status="sent").count() == 2
        children = psutil.Process(worker.pid).children()
        assert children, "the worker has a pool process"
        os.kill(children[0].pid, signal.SIGKILL)  # killed mid-batch
        time.sleep(1)
        sink.hold.clear()

        def all_sent():
            assert worker.poll() is None, worker.log_path.read_text()
            return Reminder.objects.filter(pk__in=reminder_ids, status="sent").count() == 5

        wait_until(all_sent, timeout=90, message="not every reminder was delivered")
        time.sleep(2)  # anything sent twice would arrive now
        recipients = sorted(message["To"] for message in sink.messages)
    assert recipients == sorted(owner.email for owner in owners)


def test_reminders_that_fall_due_while_redis_is_down_are_sent_or_skipped_afterwards(
    start_process,
):
    from redis import Redis

    from plans import reminders
    from recovery_support.devstack import start_redis

    url = os.environ["REDIS_URL"]
    port = urlsplit(url).port
    now = timezone.now()

    # Each at its own time of day, so that no second occurrence of it falls due by now
    # (at the default 09:00 in New York, the old one's next fell due from 14:00 UTC on).
    def due(ago: timedelta) -> dict:
        at = now - ago
        return {"next_due_at": at, "local_time": at.astimezone(ZoneInfo("America/New_York")).time()}

    recent = CheckInSchedule.objects.create(owner=UserFactory(), **due(timedelta(minutes=1)))
    old = CheckInSchedule.objects.create(owner=UserFactory(), **due(timedelta(hours=3)))

    Redis.from_url(url).shutdown(nosave=True)  # the outage
    restarted = None
    try:
        assert reminders.dispatch_due_reminders(now=now) == 1  # claimed; queueing fails
        assert Reminder.objects.get(schedule=recent).status == "pending"
        assert Reminder.objects.get(schedule=old).status == "skipped"
        restarted = start_redis(Path(tempfile.gettempdir()) / f"redis-{port}", port, persist=False)
        with SmtpSink() as sink:
            worker = start_process(service_command("worker"), env=worker_env(sink))
            # The next sweeps after the outage queue the reminder again.
            wait_until(
                lambda: (
                    reminders.dispatch_due_reminders(now=timezone.now() + reminders.REQUEUE_AFTER)
                    or sink.messages
                ),
                timeout=30,
            )

            def delivered():
                assert worker.poll() is None, worker.log_path.read_text()
                return len(sink.messages) == 1

            wait_until(
                delivered, timeout=60, message="the reminder was not sent after Redis came back"
            )
            assert sink.messages[0]["To"] == recent.owner.email
        assert dict(Reminder.objects.values_list("schedule_id", "status")) == {
            recent.pk: "sent",
            old.pk: "skipped",
        }
    finally:
        if restarted is None:  # keep Redis up for the tests that follow
            start_redis(Path(tempfile.gettempdir()) / f"redis-{port}", port, persist=False)
