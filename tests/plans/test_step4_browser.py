"""Step 4 in a browser, with htmx and without JavaScript: removing an item (its button
posts with the page's one shared form, the `form` attribute), and opening a list's
folded add form (drawn only when opened) with the keyboard."""

import pytest
from playwright.sync_api import expect

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


@pytest.fixture
def page_without_javascript(browser, live_server, member, plan):
    """Step 4 of the plan, open for the member in a browser with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    add_session(context, member, live_server.url)
    page = context.new_page()
    page.goto("/plan/step/4/")
    yield page
    context.close()


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


def test_removing_an_item_without_javascript(plan, page_without_javascript):
    page = page_without_javascript
    page.get_by_role("button", name="Remove SMART").click()
    page.get_by_text("Removed “SMART”.").wait_for()
    assert "/plan/step/4/" in page.url
    assert not Activity.objects.filter(plan=plan).exists()
    assert Goal.objects.filter(plan=plan).count() == 2


def test_opening_a_folded_add_form_with_the_keyboard(page, sign_in, member, plan):
    sign_in(member)
    page.goto("/plan/step/4/")
    goals = page.locator("#section-goals")
    assert goals.locator("form.item-form").count() == 0  # folded: not drawn
    # An empty list shows its form at once.
    expect(page.locator("#section-relapse form.item-form")).to_be_visible()
    link = goals.get_by_role("link", name="Add another goal")
    link.focus()
    page.keyboard.press("Enter")
    title = goals.get_by_label("Goal", exact=True)
    expect(title).to_be_focused()  # fetched alone and swapped in, focus on its first answer
    assert "?add=" not in page.url
    audit(page)
    page.keyboard.type("Sleep by eleven")
    page.keyboard.press("Enter")
    page.get_by_text("Added “Sleep by eleven”.").wait_for()
    # The list has one more, and its form folds again.
    expect(goals.locator("li", has_text="Sleep by eleven")).to_have_count(1)
    expect(goals.get_by_role("link", name="Add another goal")).to_be_visible()
    assert Goal.objects.filter(plan=plan, title="Sleep by eleven").exists()
    audit(page)


def test_opening_a_folded_add_form_without_javascript(plan, page_without_javascript):
    page = page_without_javascript
    meetings = page.locator("#section-activities")
    meetings.get_by_role("link", name="Add another meeting or session").click()
    page.wait_for_url("**/plan/step/4/?add=activities")
    expect(meetings.get_by_label("Kind")).to_be_focused()  # open in place, ready to fill
    meetings.get_by_label("What").fill("")  # a mistake: the form comes back open
    meetings.get_by_label("Day").select_option(label="Thursday")
    meetings.get_by_label("Time").fill("18:30")
    meetings.get_by_label("Where").fill("Library")
    meetings.get_by_role("button", name="Add meeting or session").click()
    meetings.locator("#activity_title_error").wait_for()
    assert page.url.endswith("/plan/items/activities/#add-activities")  # opens at the form
    assert meetings.get_by_label("Where").input_value() == "Library"
    meetings.get_by_label("What").fill("Thursday group")
    meetings.get_by_role("button", name="Add meeting or session").click()
    page.get_by_text("Added “Thursday group”.").wait_for()
    expect(meetings.get_by_role("link", name="Add another meeting or session")).to_be_visible()
    assert Activity.objects.filter(plan=plan, title="Thursday group").exists()
