"""The crisis card in a real browser: kept on the device from the help page through the
service worker, opened with the network off, and gone after signing out."""

import pytest

from plans import services
from plans.models import RelapseItem
from tests.conftest import screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD_KEPT = "() => caches.open('crisis-card').then(c => c.match('/crisis-card/')).then(r => !!r)"


def test_the_crisis_card_opens_offline_and_leaves_on_sign_out(page, sign_in, member):
    SupportSourceFactory(
        owner=member,
        name="Maria",
        relationship="sister",
        phone="+1 555 201 3344",
        crisis_contact=True,
    )
    plan = services.plan_start(owner=member)
    RelapseItem.objects.create(
        plan=plan,
        kind="warning_sign",
        area="mood",
        description="Feeling restless",
        coping="Go for a walk",
    )
    sign_in(member)
    page.goto("/help/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker
    assert page.evaluate("!!navigator.serviceWorker.controller")

    toggle = page.locator("[data-crisis-card]")
    toggle.get_by_role("button", name="Keep it on this device").click()
    page.get_by_text("Your crisis card is now stored on this device.").wait_for()
    assert page.evaluate(CARD_KEPT)
    assert not toggle.get_by_role("button", name="Keep it on this device").is_visible()
    assert toggle.get_by_role("button", name="Remove it from this device").is_visible()
    screenshot(page, "crisis-card-kept")

    page.context.set_offline(True)
    page.goto("/crisis-card/")
    page.get_by_role("heading", name="Maria").wait_for()
    assert page.get_by_text("Go for a walk").is_visible()
    assert page.get_by_role("link", name="Call 988").is_visible()
    screenshot(page, "crisis-card-offline")
    page.goto("/plan/")  # a page never kept: the offline page, with the lines
    page.get_by_role("heading", name="You are offline").wait_for()
    assert page.get_by_role("link", name="Call 988").is_visible()
    assert page.get_by_text("Maria").count() == 0
    page.context.set_offline(False)

    page.goto("/help/")
    page.get_by_role("button", name="Sign out").click()
    # Signed out and home ("**/" would match /help/ itself, before the navigation ends).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").wait_for()
    assert not page.evaluate(CARD_KEPT)


def test_turning_the_card_off_removes_it_from_the_device(page, sign_in, member):
    sign_in(member)
    page.goto("/help/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_role("button", name="Keep it on this device").click()
    page.get_by_text("Your crisis card is now stored on this device.").wait_for()
    page.reload()
    remove = page.get_by_role("button", name="Remove it from this device")
    remove.click()
    page.get_by_text("Your crisis card is removed from this device.").wait_for()
    assert not page.evaluate(CARD_KEPT)
    assert page.get_by_role("button", name="Keep it on this device").is_visible()
