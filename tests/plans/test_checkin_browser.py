from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from networks.models import ContactLog
from plans import services
from plans.models import CheckIn, CheckInSchedule, RelapseItem
from recovery_support.models import User
from tests.conftest import audit, screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_checks_in_asks_for_help_and_sees_their_history(page, sign_in, member):
    today = timezone.localdate(timezone=ZoneInfo(member.time_zone))
    maria = SupportSourceFactory(
        owner=member,
        name="Maria",
        relationship="sister",
        phone="+1 555 201 3344",
        crisis_contact=True,
    )
    SupportSourceFactory(owner=member, name="Ray", relationship="sponsor")
    plan = services.plan_start(owner=member)
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="Pay bills")
    RelapseItem.objects.create(
        plan=plan,
        kind="warning_sign",
        area="mood",
        description="Feeling restless",
        coping="Go for a walk",
    )
    # Three weeks of earlier check-ins, with a few days off, and contacts along the way.
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=member, day=today - timedelta(days=n), mood=2 + (n * 7) % 4, craving=(n * 3) % 8
        )
        for n in range(1, 22)
        if n not in (6, 13, 14)
    )
    for n in range(0, 50, 4):
        ContactLog.objects.create(source=maria, contacted_on=today - timedelta(days=n))
    CheckInSchedule.objects.create(owner=member)
    User.objects.filter(pk=member.pk).update(recovery_started_on=today - timedelta(days=45))
    sign_in(member)

    # The form, answered with the keyboard: arrows within a scale, Tab between them.
    page.goto("/plan/checkin/")
    page.get_by_role("heading", name="How are you today?").wait_for()
    audit(page)
    page.get_by_role("radio", name="Very low").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="Good", exact=True).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="2", exact=True).is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Payday"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Walked it off")
    page.get_by_label("Maria").check()
    page.get_by_label("I went to a meeting today").check()
    page.get_by_label("Anything else on your mind?").fill("Payday was hard, and I got through it.")
    page.get_by_role("button", name="Check in").press("Enter")
    page.locator("#checkin-status").get_by_text("Thank you for checking in.").wait_for()
    checkin = CheckIn.objects.get(owner=member, day=today)
    assert (checkin.mood, checkin.craving, checkin.coping_used) == (4, 2, "Walked it off")
    assert [t.description for t in checkin.triggers.all()] == ["Payday"]
    assert ContactLog.objects.filter(source=maria, contacted_on=today).exists()
    assert page.get_by_role("radio", name="Good", exact=True).is_checked()  # answers kept
    audit(page)
    screenshot(page, "checkin")

    # Later, a harder moment. (A fresh load also matters to the audit: Playwright's
    # screenshot leaves empty style attributes on form fields, which htmx would copy
    # while settling the swap, a CSP report no visitor could cause.)
    page.reload()
    assert page.get_by_role("radio", name="Good", exact=True).is_checked()  # today's answers
    assert page.get_by_label("Payday").is_checked()
    # Ticking "I need help now" shows who to reach at once, above the form.
    page.get_by_label("I need help now").check()
    help_now = page.get_by_role("heading", name="You don\u2019t have to go through this alone")
    help_now.wait_for()
    call = page.get_by_role("link", name="Call Maria")
    assert call.get_attribute("href") == "tel:+1 555 201 3344"
    assert page.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert help_now.bounding_box()["y"] < page.locator("form.checkin-form").bounding_box()["y"]
    assert call.is_visible()
    assert CheckIn.objects.get(owner=member, day=today).needed_help is True
    audit(page)
    screenshot(page, "checkin-need-help")

    # The history: streak, days in recovery, charts, contacts, kindly counted gaps.
    page.get_by_role("link", name="Your check-ins over time").click()
    page.get_by_role("heading", name="Your check-ins over time").wait_for()
    page.get_by_text("6 days in a row").wait_for()
    page.get_by_text("45 days since").wait_for()
    assert page.get_by_role("img", name="Mood").count() == 1
    assert page.get_by_role("img", name="Cravings").count() == 1
    page.get_by_text("Mood as a table").click()
    page.get_by_role("cell", name="Good").first.wait_for()
    audit(page)
    screenshot(page, "history")
    page.get_by_role("link", name="90 days").click()
    page.get_by_role("heading", name="The last 90 days").wait_for()
    audit(page)


def test_ticking_someone_marked_a_risk_shows_the_plans_caution(page, sign_in, member):
    SupportSourceFactory(owner=member, name="Ray", relationship="sponsor")
    SupportSourceFactory(owner=member, name="Tony", influence="risk")
    sign_in(member)
    page.goto("/plan/checkin/")
    caution = page.locator(".caution", has_text="You marked Tony as a risk to your recovery.")
    expect(caution).to_be_hidden()
    page.get_by_label("Tony").check()
    expect(caution).to_be_visible()
    expect(caution.get_by_role("link", name="Your boundaries with Tony")).to_be_visible()
    audit(page)
    screenshot(page, "checkin-risky-tie")
    page.get_by_label("Tony").uncheck()
    expect(caution).to_be_hidden()
    page.get_by_label("Ray").check()
    expect(page.locator(".caution")).to_have_count(1)  # Ray's tie needs no caution
