"""Turning notifications on in Chromium, through the real service worker and page.

Headless Chromium here has no push service to register with: pushManager.subscribe()
fails with "Registration failed - permission denied" even with the permission
granted. So the first test checks the member is told so; the second stands in for
the browser's push service alone (subscribe() answers with a subscription of our
loopback push service) and follows the rest for real: the page posts it, the device
is listed, and a reminder sent to it is decrypted there."""

import json

import pytest

from recovery_support.push import services
from recovery_support.push.models import PushSubscription
from tests.conftest import screenshot

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
