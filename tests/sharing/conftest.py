import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

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


@pytest.fixture
def counselor_client(their_counselor):
    """The member's counselor in their own browser (the member keeps `signed_in`)."""
    client = Client()
    client.force_login(their_counselor)
    return client


@pytest.fixture
def supporter_client(their_supporter):
    """The member's supporter in their own browser."""
    client = Client()
    client.force_login(their_supporter)
    return client


def page_words(response) -> str:
    """A page's words as a reader sees them: one space between each word (and between
    elements), none before punctuation."""
    html = response.content.decode() if hasattr(response, "content") else response
    words = " ".join(strip_tags(html.replace("<", " <")).split())
    return re.sub(r" ([,.:;])", r"\1", words)
