"""Removing an item of step 4 in a browser: its button posts with the page's one
shared form (the `form` attribute), with htmx and without JavaScript."""

import pytest

from plans.models import Activity, Goal, Plan
from tests.conftest import add_session, audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(member):
    plan = Plan.objects.create(owner=member, first_day_after_slip="Call Ray.")
    Goal.objects.create(plan=plan, title="Walk every day", progress=40)
    Goal.objects.create(plan=plan, title="Read before bed", progress=10)
    Activity.objects.create(plan=plan, kind="meeting", title="SMART", weekday=1, time="19:00")
    return plan


def test_removing_an_item_in_place(page, sign_in, member, plan):
    sign_in(member)
    page.goto("/plan/step/4/")
    goals = page.locator("#section-goals")
    goals.get_by_role("button", name="Remove Walk every day").click()
    page.get_by_text("Removed “Walk every day”.").wait_for()
    assert goals.locator("li", has_text="Walk every day").count() == 0
    assert goals.locator("li", has_text="Read before bed").count() == 1
    # The section came back with its own buttons, still posting with the shared form.
    goals.get_by_role("button", name="Remove Read before bed").click()
    page.get_by_text("No goals yet.").wait_for()
    assert not Goal.objects.filter(plan=plan).exists()
    assert Activity.objects.filter(plan=plan).count() == 1
    audit(page)


def test_removing_an_item_without_javascript(browser, live_server, member, plan):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    add_session(context, member, live_server.url)
    page = context.new_page()
    page.goto("/plan/step/4/")
    page.get_by_role("button", name="Remove SMART").click()
    page.get_by_text("Removed “SMART”.").wait_for()
    assert "/plan/step/4/" in page.url
    assert not Activity.objects.filter(plan=plan).exists()
    assert Goal.objects.filter(plan=plan).count() == 2
    context.close()
