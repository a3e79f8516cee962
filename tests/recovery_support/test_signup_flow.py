import re
from datetime import timedelta

import pytest
from django.core import mail

from recovery_support.models import User
from tests.conftest import audit, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_signs_up_verifies_their_email_and_reaches_their_dashboard(
    page, live_server, settings
):
    # Emails make live links only to SITE_URL, which in production is the address
    # allauth builds its links from; here that is the test server.
    settings.SITE_URL = live_server.url
    page.goto("/")
    audit(page)
    page.get_by_role("link", name="Create your free account").click()

    page.get_by_label("Email").fill("river@example.org")
    page.get_by_label("What should we call you?").fill("River")
    page.get_by_label("Password", exact=True).fill("steady-mornings-2026")
    page.get_by_label("Password (again)").fill("steady-mornings-2026")
    page.get_by_label("Your time zone").select_option("Europe/Madrid")
    assert page.get_by_label("Where do you live?").input_value() == "US", "by default"
    page.get_by_label("Where do you live?").select_option(label="Spain")
    audit(page)
    screenshot(page, "accounts-signup")
    page.get_by_role("button", name="Sign Up").click()

    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    audit(page)
    user = User.objects.get(email="river@example.org")
    assert (user.display_name, user.time_zone, user.country, user.is_professional) == (
        "River",
        "Europe/Madrid",
        "ES",
        False,
    )

    message = mail.outbox[-1]
    assert message.to == ["river@example.org"]
    html = dict((m, c) for c, m in message.alternatives)["text/html"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert f'href="{link}"' in html

    page.goto(link)
    audit(page)
    # Confirmed in the browser that signed up: signed in at once, no second form.
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name="Hello, River").wait_for()
    assert page.url.endswith("/dashboard/")
    audit(page)
    screenshot(page, "dashboard")

    # The dashboard asks when their recovery started, and then leads with the count.
    start = user.local_today() - timedelta(days=29)
    page.get_by_label("When did your recovery start?").fill(start.isoformat())
    page.get_by_role("button", name="Start counting").click()
    page.get_by_text("Saved. Here is your count.").wait_for()
    assert page.locator(".day-count .big-number").inner_text() == "29 days"
    assert "Next milestone: 30 days, tomorrow." in page.locator(".day-count").inner_text()
    audit(page)
    screenshot(page, "dashboard-day-count")

    # "Need help now" is one tap away from every page, with Spain's lines.
    page.get_by_role("link", name="Need help now").first.click()
    page.get_by_role("link", name="Call 024").wait_for()
    assert page.get_by_role("link", name="Call 988").count() == 0
    audit(page)
    screenshot(page, "need-help")
