from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from recovery_support.tasks import clear_expired_sessions
from tests.compose import service_command
from tests.conftest import subprocess_env, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_task_queued_through_redis_is_run_by_a_real_worker(start_process):
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    current = SessionStore()
    current.create()

    worker = start_process(service_command("worker"), env=subprocess_env())
    clear_expired_sessions.delay()

    def expired_session_is_gone():
        assert worker.poll() is None, worker.log_path.read_text()
        return not Session.objects.filter(session_key=expired.session_key).exists()

    wait_until(expired_session_is_gone, timeout=60, message="the worker did not run the task")
    assert Session.objects.filter(session_key=current.session_key).exists()
    log = worker.log_path.read_text()
    assert "clear_expired_sessions" in log
    # Loaded once in the main process before it forks: no pool process pays for it.
    assert log.index("Views imported and templates compiled") < log.index(" ready.")
