"""Turning notifications on in Chromium, through the real service worker and page.

Headless Chromium here has no push service to register with: pushManager.subscribe()
fails with "Registration failed - permission denied" even with the permission
granted. So the first test checks the member is told so; the second stands in for
the browser's push service alone (subscribe() answers with a subscription of our
loopback push service) and follows the rest for real: the page posts it, the device
is listed, and a reminder sent to it is decrypted there."""

import json
from datetime import time

import pytest

from recovery_support.push import services
from recovery_support.push.models import DeliveryChoices, PushSubscription
from tests.conftest import audit, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def turn_on(page, name: str) -> None:
    page.goto("/notifications/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_label("Name this device").fill(name)
    page.get_by_role("button", name="Turn on notifications on this device").click()


def test_where_the_browser_cannot_subscribe_the_member_is_told(
    page, sign_in, member, vapid, live_server
):
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(member)
    turn_on(page, "Phone")
    page.locator("[data-push-status]:not(:empty)").wait_for()  # the browser's own words
    assert not PushSubscription.objects.exists()


def test_a_member_names_this_device_and_it_gets_reminders(
    page, sign_in, member, vapid, pushes, live_server
):
    subscription = pushes.subscription()
    fake = {
        "endpoint": subscription["endpoint"],
        "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]},
    }
    answer = json.dumps(fake)
    page.add_init_script(
        f"PushManager.prototype.subscribe = () => Promise.resolve({{toJSON: () => ({answer})}});"
    )
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(member)
    turn_on(page, "Jordan's phone")
    page.get_by_text("Notifications are on for Jordan's phone").wait_for()
    assert page.get_by_role("button", name="Remove Jordan's phone").is_visible()
    screenshot(page, "push-devices")
    assert services.push_send(user=member, kind="checkin") == 1
    assert pushes.received[0].payload["title"] == "Time for your check-in"


def test_a_member_chooses_how_each_reminder_reaches_them_by_keyboard(page, sign_in, member, vapid):
    """Keyboard only, at phone size: email only for check-ins, nothing for nudges, and
    quiet hours across midnight. Half the quiet hours is refused beside the form with
    what was chosen kept; the whole choice is kept after saving and after a reload."""
    sign_in(member)
    page.goto("/notifications/")
    page.get_by_role("heading", name="How reminders reach you").wait_for()
    audit(page)

    def choose(label: str, option: str) -> None:
        field = page.get_by_label(label)
        field.focus()
        # A select moves on with the arrow keys: down until the option is chosen.
        for _ in range(4):
            if field.evaluate("s => s.options[s.selectedIndex].text") == option:
                return
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"{option} is not offered for {label}")

    choose("Check-in reminders", "An email only")
    choose("Nudges to be in touch, and follow-ups you planned", "Nothing")
    page.get_by_label("Quiet from").focus()
    page.keyboard.type("1000PM")  # a time field takes the keys as typed
    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")

    page.get_by_text("Give both times for your quiet hours, or neither.").wait_for()
    assert page.get_by_label("Check-in reminders").input_value() == "email", "kept"
    assert page.get_by_label("Quiet from").input_value() == "22:00", "kept"
    audit(page)
    screenshot(page, "push-choices-refused")

    page.get_by_label("Quiet until").focus()
    page.keyboard.type("0700AM")
    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_text("Saved. Reminders will reach you the way you chose.").wait_for()
    page.reload()
    assert page.get_by_label("Check-in reminders").input_value() == "email"
    assert page.get_by_label("Nudges to be in touch, and follow-ups you planned").input_value() == (
        "none"
    )
    assert (
        page.get_by_label("Quiet from").input_value(),
        page.get_by_label("Quiet until").input_value(),
    ) == ("22:00", "07:00")
    choices = DeliveryChoices.objects.get(owner=member)
    assert choices.channels["checkin"] == "email" and choices.channels["contact_nudge"] == "none"
    assert (choices.quiet_start, choices.quiet_end) == (time(22), time(7))
    screenshot(page, "push-choices-saved")
