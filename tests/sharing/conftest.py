import pytest


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks queued here run at once, in the test (a real worker runs them in
    tests/plans/test_reminders_worker.py)."""
    from recovery_support.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
