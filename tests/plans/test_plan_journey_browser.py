"""A new member walks from sign-up to an active plan at phone size, with JavaScript
and without: the start date asked on their first dashboard, the four steps with
nothing typed lost, the plan saying what it still needs, and the dashboard leading
with their day count (issue 16, "Done when")."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from plans.models import Activity, Plan, PlanSource
from recovery_support.models import User
from tests.conftest import audit, screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_up(page, audit, email: str) -> User:
    """Sign-up, the emailed link, and the dashboard's first question: the start date,
    29 days ago (tomorrow is the 30-day milestone)."""
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("What should we call you?").fill("River")
    for label in ("Password", "Password (again)"):
        page.get_by_label(label, exact=True).fill("steady-mornings-2026")
    audit(page)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Hello, River").wait_for()
    audit(page)
    member = User.objects.get(email=email)
    start = member.local_today() - timedelta(days=29)
    page.get_by_label("When did your recovery start?").fill(start.isoformat())
    page.get_by_role("button", name="Start counting").click()
    page.get_by_text("Saved. Here is your count.").wait_for()
    return member


def day_count_of(page) -> str:
    page.goto("/dashboard/")
    count = page.locator(".day-count")
    expect(count.locator(".big-number")).to_have_text("29 days")
    return count.inner_text()


def network(member) -> None:
    SupportSourceFactory(
        owner=member,
        name="Maria Lopez",
        category="family",
        email="maria@example.org",
        crisis_contact=True,
    )
    SupportSourceFactory(
        owner=member,
        name="Tuesday Night AA",
        category="support_group",
        meets_when="Tuesdays 7pm",
        meets_where="St Mark's hall",
    )


def choose_both(page, audit) -> None:
    page.goto("/plan/")
    page.get_by_role("heading", name="Step 1: Who could support you?").wait_for()
    audit(page)
    page.get_by_label("Maria Lopez").check()
    page.get_by_label("Tuesday Night AA").check()
    page.get_by_role("button", name="Save and go to step 2").click()
    page.get_by_role("heading", name="Step 2: Reach out").wait_for()
    audit(page)


def add_a_trigger(page) -> None:
    relapse = page.locator("#section-relapse")
    relapse.get_by_label("Kind").select_option(label="Trigger")
    relapse.get_by_label("What it is").fill("Payday")
    relapse.get_by_label("What I will do").fill("Call Maria")
    relapse.get_by_role("button", name="Add to my plan").click()
    page.locator("#section-relapse li", has_text="Payday").wait_for()


def card(page, name: str):
    return page.locator("article", has=page.get_by_role("heading", name=name))


def unload_is_held(page) -> bool:
    return page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " window.dispatchEvent(e); return e.defaultPrevented; }"
    )


def test_a_new_member_walks_the_plan_and_loses_nothing(page, live_server, settings):
    settings.SITE_URL = live_server.url  # the emailed link leads to this server
    member = sign_up(page, audit, "river@example.org")
    network(member)

    choose_both(page, audit)

    # Step 2: the draft follows the ticks before anything is saved; the group is
    # greeted as the people in it.
    maria = card(page, "Maria Lopez")
    draft = maria.locator("[data-draft]")
    assert "be part of my support" in draft.inner_text()
    maria.get_by_label("Emotional").check()
    expect(draft).to_contain_text("be someone I can talk to when things are hard")
    assert "be%20someone%20I%20can%20talk" in maria.get_by_role(
        "link", name="Open in email"
    ).get_attribute("href")
    maria.get_by_label("How did it go?").select_option(label="Agreed")
    expect(maria.locator("[data-save-state]")).to_have_text("Saved")
    group = card(page, "Tuesday Night AA")
    assert group.locator("[data-draft]").inner_text().startswith("Hi everyone at Tuesday Night AA,")
    group.get_by_label("How did it go?").select_option(label="Agreed")
    expect(group.locator("[data-save-state]")).to_have_text("Saved")
    expect(page.locator("#plan-status")).to_contain_text("Saved your ask to Tuesday Night AA.")
    # Come back to it, and the answered cards are folded; opening one fetches its
    # form, which saves as the member goes like any other.
    page.reload()
    maria = card(page, "Maria Lopez")
    assert not maria.get_by_label("How often?").is_visible()
    maria.locator("summary", has_text="Edit").click()
    expect(maria.get_by_label("Emotional")).to_be_checked()
    maria.get_by_label("How often?").select_option(label="Every week")
    expect(page.locator("#plan-status")).to_contain_text("Saved your ask to Maria Lopez.")
    expect(maria.locator("[data-save-state]")).to_have_text("Saved")
    audit(page)
    screenshot(page, "journey-step-2")
    page.get_by_role("link", name="Go to step 3").click()

    # Step 3: Maria saved as the member goes; the group's card typed in and left
    # without a Save: "Go to step 4" saves it first.
    page.get_by_role("heading", name="Step 3: What is realistic").wait_for()
    audit(page)
    maria = card(page, "Maria Lopez")
    maria.get_by_label("What they can realistically give").fill("Evening calls")
    maria.get_by_label("How often they can").select_option(label="Every week")
    expect(maria.locator("[data-save-state]")).to_have_text("Saved")
    group = card(page, "Tuesday Night AA")
    group.get_by_label("What they can realistically give").fill("A seat every Tuesday")
    expect(group.locator("[data-save-state]")).to_have_text("Not saved yet")
    assert unload_is_held(page)  # leaving now would ask first
    screenshot(page, "journey-step-3-unsaved")
    page.get_by_role("link", name="Go to step 4").click()

    # Step 4: nothing lost; answers carried forward.
    page.get_by_role("heading", name="Step 4: Your plan").wait_for()
    saved = PlanSource.objects.get(plan__owner=member, source__name="Tuesday Night AA")
    assert saved.can_give == "A seat every Tuesday"
    audit(page)
    # Maria's "every week" from step 3, in words; its Change link draws the form,
    # focused on the choice, and saving says it in words again.
    contacts = page.locator("#section-contacts")
    planned = contacts.locator("p.cadence", has_text="Maria Lopez")
    expect(planned).to_contain_text("Every week")
    planned.get_by_role("link", name=re.compile("^Change")).click()
    maria_form = contacts.locator("form", has_text="Maria Lopez")
    chosen = maria_form.get_by_label("Be in touch")
    expect(chosen).to_be_focused()
    assert chosen.input_value() == "7"
    audit(page)
    chosen.select_option(label="Every few days")
    maria_form.get_by_role("button", name=re.compile("^Save")).click()
    expect(contacts.locator("p.cadence", has_text="Maria Lopez")).to_contain_text("Every few days")
    expect(page.locator("#plan-status")).to_contain_text(
        "Saved how often you'll be in touch with Maria Lopez."
    )
    meetings = page.locator("#section-activities")
    meetings.get_by_text("From your network: Tuesday Night AA, Tuesdays 7pm").wait_for()
    meetings.get_by_role("button", name=re.compile("^Add as a meeting")).click()
    page.locator("#section-activities li", has_text="Tuesday Night AA").wait_for()
    activity = Activity.objects.get(plan__owner=member)
    assert (activity.weekday, activity.time.hour, activity.place) == (1, 19, "St Mark's hall")

    # The Ready? box follows each save, without a reload.
    activate = page.locator("section.activate")
    expect(activate).to_contain_text("A warning sign, trigger or craving")
    add_a_trigger(page)
    expect(activate).not_to_contain_text("A warning sign, trigger or craving")
    expect(activate).to_contain_text("Still to do")
    expect(activate).to_contain_text("A goal")
    expect(activate).to_contain_text("In a crisis you can reach Maria Lopez.")
    audit(page)
    screenshot(page, "journey-step-4")
    activate.get_by_role("button", name="Activate anyway").click()
    page.get_by_role("heading", name="My support plan").wait_for()
    assert Plan.objects.get(owner=member).is_active
    audit(page)

    # The Plan menu opens an active plan on its overview.
    page.get_by_role("link", name="Plan", exact=True).first.click()
    page.get_by_role("heading", name="Your plan at a glance").wait_for()
    expect(page.locator(".plan-state")).to_contain_text("Step 4: Your plan")
    expect(page.locator(".plan-state")).to_contain_text("A goal")
    audit(page)
    screenshot(page, "journey-overview")

    # The dashboard leads with the day count, and the plan is active.
    count = day_count_of(page)
    assert "Next milestone: 30 days, tomorrow." in count
    expect(page.locator("body")).to_contain_text("Your plan is active.")
    assert "Continue your plan" not in page.content()
    audit(page)
    screenshot(page, "journey-dashboard")


def test_the_same_walk_without_javascript(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    # axe runs as a script: each page is audited as the server drew it, in a twin
    # with the same cookies (the same session, once signed in) where scripts run.
    twin_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    twin = twin_context.new_page()
    twin.console_errors = []

    def audit_no_js(page):
        twin_context.clear_cookies()
        twin_context.add_cookies(context.cookies())
        twin.goto(page.url)
        audit(twin)

    member = sign_up(page, audit_no_js, "river.nojs@example.org")
    network(member)
    choose_both(page, audit_no_js)
    for name in ("Maria Lopez", "Tuesday Night AA"):
        each = card(page, name)
        each.get_by_label("Emotional").check()
        each.get_by_label("How did it go?").select_option(label="Agreed")
        each.get_by_role("button", name=f"Save the ask to {name}").click()
        page.get_by_text(f"Saved your ask to {name}.").wait_for()
    # Saved cards fold to a line; opened, a folded card offers its form by a link,
    # and the server drafts the same message for the ticks.
    maria = card(page, "Maria Lopez")
    assert not maria.get_by_label("Emotional").is_visible()
    maria.locator("summary", has_text="Edit").click()
    maria.get_by_role("link", name="Show the form").click()
    maria = card(page, "Maria Lopez")
    expect(maria.get_by_label("Emotional")).to_be_checked()
    expect(maria.locator("[data-draft]")).to_contain_text("be someone I can talk to")
    assert page.url.endswith(f"#{maria.get_attribute('id')}")
    audit_no_js(page)
    audit_no_js(page)
    page.get_by_role("link", name="Go to step 3").click()

    page.get_by_role("heading", name="Step 3: What is realistic").wait_for()
    audit_no_js(page)
    for name, gives in (("Maria Lopez", "Evening calls"), ("Tuesday Night AA", "A seat")):
        each = card(page, name)
        each.get_by_label("What they can realistically give").fill(gives)
        each.get_by_label("How often they can").select_option(label="Every week")
        each.get_by_role("button", name=f"Save what {name} can give").click()
        page.get_by_text(f"Saved what {name} can give.").wait_for()
    expect(card(page, "Maria Lopez").locator(".plan-card__state")).to_contain_text(
        "Evening calls · every week"
    )
    audit_no_js(page)
    page.get_by_role("link", name="Go to step 4").click()

    page.get_by_role("heading", name="Step 4: Your plan").wait_for()
    audit_no_js(page)
    page.get_by_role("button", name=re.compile("^Add as a meeting")).click()
    page.locator("#section-activities li", has_text="Tuesday Night AA").wait_for()
    add_a_trigger(page)
    page.get_by_role("button", name="Activate anyway").click()
    page.get_by_role("heading", name="My support plan").wait_for()
    assert Plan.objects.get(owner=member).is_active
    audit_no_js(page)

    page.goto("/plan/")
    page.get_by_role("heading", name="Your plan at a glance").wait_for()
    audit_no_js(page)
    assert "Next milestone: 30 days, tomorrow." in day_count_of(page)
    assert "Your plan is active." in page.content()
    audit_no_js(page)
    screenshot(page, "journey-no-js-dashboard")
    twin_context.close()
    context.close()
