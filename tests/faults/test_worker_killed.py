"""The whole Celery worker killed with SIGKILL in the middle of sending (the OOM killer,
`docker kill`): no process is left to hand the task back, so its message waits in
Redis's unacknowledged set. The sweep queues the reminder again, and when Redis's
visibility timeout finally hands the old message out too, nothing is sent twice.

A worker's pool process killed mid-send (the main process hands the task back at once)
is tests/plans/test_reminders_worker.py::
test_a_worker_killed_while_sending_still_delivers_each_reminder_once.
"""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from redis import Redis

from plans.models import CheckInSchedule, Reminder
from plans.tasks import deliver_reminder
from recovery_support.celery import app
from tests.compose import service_command
from tests.conftest import wait_until
from tests.factories import UserFactory
from tests.faults.conftest import manage
from tests.plans.test_reminders_worker import worker_env
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300), pytest.mark.django_db(transaction=True)]

SWEEP_LATER = """
from django.utils import timezone
from plans import reminders
print(reminders.dispatch_due_reminders(now=timezone.now() + reminders.REQUEUE_AFTER))
"""


def test_a_whole_worker_killed_while_sending_still_delivers_each_reminder_once(
    dedicated_redis, start_process
):
    owners = [UserFactory() for _ in range(3)]
    reminder_ids = [
        Reminder.objects.create(
            schedule=CheckInSchedule.objects.create(owner=owner, next_due_at=None),
            due_at=timezone.now() - timedelta(seconds=5),
            queued_at=timezone.now(),
        ).pk
        for owner in owners
    ]
    broker = Redis.from_url(dedicated_redis.url)

    def sent(pks) -> int:
        return Reminder.objects.filter(pk__in=pks, status="sent").count()

    with SmtpSink() as sink, app.connection_for_write(dedicated_redis.url) as connection:
        env = worker_env(sink) | {"REDIS_URL": dedicated_redis.url}
        env.pop("REDIS_CACHE_URL", None)
        args = [*service_command("worker"), "--concurrency", "1"]
        sink.hold.set()  # the first email waits at the SMTP server
        first = start_process(args, env=env)
        for reminder_id in reminder_ids:
            deliver_reminder.apply_async((reminder_id,), connection=connection)
        wait_until(sink.receiving.is_set, timeout=60, message="no delivery started")

        os.killpg(first.pid, signal.SIGKILL)  # main process and pool, mid-delivery
        first.wait(timeout=30)
        # Its message is neither acknowledged nor handed back.
        assert broker.zcard("unacked_index") == 1
        sink.hold.clear()

        second = start_process(args, env=env)

        def alive():
            assert second.poll() is None, second.log_path.read_text()
            return True

        # The two still queued go out; the one being sent stays pending, its row free again.
        wait_until(lambda: alive() and sent(reminder_ids) == 2, timeout=90)
        lost = Reminder.objects.get(pk__in=reminder_ids, status="pending")

        # The sweep five minutes on (as beat runs it, on this Redis) queues it again.
        assert manage("shell", "-c", SWEEP_LATER, env=env).split()[-1] == "1"
        wait_until(lambda: alive() and sent(reminder_ids) == 3, timeout=90)

        # Redis's visibility timeout passes (made 0 here): the old message comes back.
        with app.connection_for_write(
            dedicated_redis.url, transport_options={"visibility_timeout": 0}
        ) as restoring:
            restoring.default_channel.qos.restore_visible(num=100)

        def log_says(text: str, times: int):
            return alive() and second.log_path.read_text().count(text) == times

        # Every delivery the second worker ran has finished: two sends, the sweep's
        # requeue, and the restored message, which finds the reminder sent.
        wait_until(lambda: log_says("succeeded in", 4), timeout=60)
        assert second.log_path.read_text().count(": False") == 1
        assert broker.zcard("unacked_index") == 0
        time.sleep(2)  # anything sent twice would arrive now
        recipients = sorted(message["To"] for message in sink.messages)

    assert recipients == sorted(owner.email for owner in owners)
    lost.refresh_from_db()
    assert lost.status == "sent"
