"""Guards every browser test: the audit must catch a Content Security Policy violation."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_passes_on_a_page_that_keeps_to_the_policy(page):
    page.goto("/help/")
    page.get_by_role("link", name="Call 988").wait_for()
    audit(page)


def test_the_audit_fails_when_an_inline_script_is_blocked_by_the_policy(page):
    page.goto("/help/")
    page.get_by_role("link", name="Call 988").wait_for()
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="document.body.dataset.injected = 'ran';")

    assert page.evaluate("document.body.dataset.injected") is None, "CSP let the script run"
    with pytest.raises(AssertionError, match="Content Security Policy"):
        audit(page)
