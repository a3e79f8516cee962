import pytest

from tests.conftest import add_session


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks queued here run at once, in the test (a real worker runs them in
    tests/plans/test_reminders_worker.py)."""
    from recovery_support.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def browser_for(browser, live_server):
    """A phone-sized browser context with its own cookies, signed in as `user` (or as
    nobody: someone opening an emailed link for the first time)."""
    contexts = []

    def _open(user=None):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        if user is not None:
            add_session(context, user, live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        return page

    yield _open
    for context in contexts:
        context.close()
