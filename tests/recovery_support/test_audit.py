import pytest

from tests.conftest import audit

pytestmark = pytest.mark.browser


def test_the_accessibility_audit_fails_on_a_page_with_a_violation(browser):
    """Guards every browser test: an audit that never fails would prove nothing."""
    page = browser.new_page()
    page.console_errors = []
    page.set_content('<html lang="en"><title>x</title><main><img src="a.png"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        audit(page)
    page.close()
