"""A member asks for help from the dashboard, and tells of a slip, at phone size."""

import pytest
from django.core import mail

from plans.models import HelpCall, Plan, RelapseItem
from sharing.models import Grant
from tests.conftest import audit, screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def celery_eager():
    """The alert task runs at once, in the server's thread."""
    from recovery_support.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_member_asks_for_help_and_tells_of_a_slip(
    page, sign_in, member, their_counselor, their_supporter
):
    Grant.objects.filter(grantee=their_counselor).update(alert_on_help=True)
    maria = SupportSourceFactory(
        owner=member, name="Maria", phone="+1 555 201 3344", crisis_contact=True
    )
    SupportSourceFactory(
        owner=member, name="Robin", email=their_supporter.email, phone="+1 555 300 4000"
    )
    plan = Plan.objects.create(
        owner=member, first_day_after_slip="Call Maria. Go to the 7pm meeting. Eat, sleep."
    )
    RelapseItem.objects.create(
        plan=plan,
        kind="warning_sign",
        area="mood",
        description="Skipping meals",
        coping="Eat something small",
        contact=maria,
    )
    sign_in(member)

    page.goto("/dashboard/")
    page.get_by_role("button", name="I need help now").click()
    page.get_by_role("heading", name="You asked for help at").wait_for()
    told = page.locator("#told")
    assert "we are emailing them now" in told.get_by_role("listitem").nth(0).inner_text()
    robin = told.get_by_role("listitem").nth(1)
    assert "not told" in robin.inner_text()
    assert robin.get_by_role("link", name="Call Robin").get_attribute("href") == (
        "tel:+1 555 300 4000"
    )
    assert [m.to for m in mail.outbox] == [[their_counselor.email]]
    signs = page.get_by_role("heading", name="Your plan for moments like this")
    lines = page.get_by_role("heading", name="Crisis lines")
    assert signs.bounding_box()["y"] < lines.bounding_box()["y"]
    audit(page)
    screenshot(page, "help-asked")

    page.goto("/help/")
    page.get_by_role("link", name="I had a slip").click()
    page.get_by_role("heading", name="I had a slip", exact=True).wait_for()
    page.get_by_text("Call Maria. Go to the 7pm meeting.").wait_for()
    audit(page)
    screenshot(page, "help-slip")
    page.get_by_label("Anything you want to remember about it").fill("After the party.")
    page.get_by_label("Robin, your supporter").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="You noted a slip").wait_for()
    assert HelpCall.objects.filter(owner=member, kind="slip").exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [their_counselor.email, their_supporter.email]
    )
    audit(page)
    screenshot(page, "help-slip-noted")
