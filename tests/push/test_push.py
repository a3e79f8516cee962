"""Notifications on people's devices: naming and removing devices, and pushes that a
push service of our own (tests/push_service.py, on loopback) decrypts with each
subscription's keys, checking they carry no names and nothing about health."""

import http.client

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import translation

from recovery_support.push import services
from recovery_support.push.models import PushSubscription
from tests.factories import UserFactory
from tests.push.conftest import subscribe


def test_it_saves_each_named_device_and_lists_it_for_its_owner_only(
    client, member, other_member, vapid, pushes
):
    client.force_login(member)
    subscribe(client, pushes, "Jordan's phone")
    subscribe(client, pushes, "Work laptop")
    page = client.get(reverse("push:devices")).content.decode()
    assert "Jordan&#x27;s phone" in page and "Work laptop" in page
    assert f'data-push-key="{vapid}"' in page
    client.force_login(other_member)
    page = client.get(reverse("push:devices")).content.decode()
    assert "Work laptop" not in page and "No device gets notifications yet" in page


def test_it_sends_a_push_each_device_decrypts_with_no_names_in_it(client, member, vapid, pushes):
    member.display_name = "Jordan Rivers"
    member.save()
    client.force_login(member)
    phone = subscribe(client, pushes, "Jordan's phone")
    laptop = subscribe(client, pushes, "Laptop")

    assert services.push_send(user=member, kind="checkin") == 2

    assert {r.path for r in pushes.received} == {
        phone["endpoint"].removeprefix(pushes.url),
        laptop["endpoint"].removeprefix(pushes.url),
    }
    for received in pushes.received:
        assert received.payload == {
            "title": "Time for your check-in",
            "body": "It takes a minute.",
            "url": "/plan/checkin/",
            "tag": "checkin",
        }
        assert received.vapid_key == vapid
        assert received.vapid_claims["aud"] == pushes.url
        assert received.vapid_claims["sub"] == "mailto:care@example.org"
        assert received.headers["content-encoding"] == "aes128gcm"
        assert int(received.headers["ttl"]) > 0


PRIVATE = {
    "en": ("slip", "relapse", "craving", "drink", "drug", "sober", "crisis", "@"),
    "es": ("tropiezo", "recaída", "consumir", "beber", "droga", "sobri", "crisis", "@"),
}


@pytest.mark.parametrize("language", sorted(PRIVATE))
@pytest.mark.parametrize("kind", sorted(services.MESSAGES))
def test_no_message_names_anyone_or_their_health(kind, language):
    with translation.override(language):
        words = " ".join(str(text) for text in services.MESSAGES[kind][:2]).lower()
    for private in PRIVATE[language]:
        assert private not in words


@pytest.mark.parametrize("status", [404, 410])
def test_it_removes_a_subscription_the_push_service_says_is_gone(
    client, member, vapid, pushes, status
):
    client.force_login(member)
    gone = subscribe(client, pushes, "Old phone")
    kept = subscribe(client, pushes, "New phone")
    pushes.gone[gone["endpoint"].removeprefix(pushes.url)] = status

    assert services.push_send(user=member, kind="counselor_note") == 1

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept["endpoint"]]
    assert [r.payload["title"] for r in pushes.received] == ["You have a note from your counselor"]


def test_it_keeps_a_subscription_when_the_push_service_fails_for_a_while(
    client, member, vapid, pushes
):
    client.force_login(member)
    phone = subscribe(client, pushes, "Phone")
    pushes.gone[phone["endpoint"].removeprefix(pushes.url)] = 503
    assert services.push_send(user=member, kind="checkin") == 0
    assert PushSubscription.objects.filter(owner=member).count() == 1


def test_a_connection_the_push_service_closed_is_opened_again(client, member, vapid, pushes):
    """Pushes go over a kept-alive connection; a service that hung up in between (as they
    do with idle ones) is called again on a new one."""
    client.force_login(member)
    subscribe(client, pushes, "Phone")
    pushes.hang_up = True
    assert services.push_send(user=member, kind="checkin") == 1
    assert services.push_send(user=member, kind="counselor_note") == 1
    titles = [r.payload["title"] for r in pushes.received]
    assert titles == ["Time for your check-in", "You have a note from your counselor"]


def test_a_push_cut_short_leaves_the_next_one_a_fresh_connection(
    client, member, vapid, pushes, monkeypatch
):
    """A task's time limit can stop a push between sending it and reading the answer:
    the next push on that thread must not find the connection mid-way."""
    client.force_login(member)
    subscribe(client, pushes, "Phone")
    assert services.push_send(user=member, kind="checkin") == 1
    answer = http.client.HTTPConnection.getresponse

    def time_is_up(connection):
        monkeypatch.setattr(http.client.HTTPConnection, "getresponse", answer)
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(http.client.HTTPConnection, "getresponse", time_is_up)
    with pytest.raises(SoftTimeLimitExceeded):
        services.push_send(user=member, kind="counselor_note")
    assert services.push_send(user=member, kind="checkin") == 1


def test_the_same_browser_subscribing_again_moves_to_whoever_signed_in(
    client, member, other_member, vapid, pushes
):
    client.force_login(member)
    shared = subscribe(client, pushes, "Family tablet")
    client.force_login(other_member)
    client.post(reverse("push:subscribe"), {"device_name": "Tablet", **shared})
    device = PushSubscription.objects.get()
    assert (device.owner, device.device_name) == (other_member, "Tablet")
    assert services.push_send(user=member, kind="checkin") == 0


def test_only_the_owner_removes_a_device(client, member, other_member, vapid, pushes):
    client.force_login(member)
    subscribe(client, pushes, "Phone")
    device = PushSubscription.objects.get()
    client.force_login(other_member)
    assert client.post(reverse("push:remove", args=[device.pk])).status_code == 404
    client.force_login(member)
    response = client.post(reverse("push:remove", args=[device.pk]))
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()
    assert services.push_send(user=member, kind="checkin") == 0
    assert pushes.received == []


def test_a_test_notification_reaches_each_device(client, member, vapid, pushes):
    client.force_login(member)
    subscribe(client, pushes, "Phone")
    client.post(reverse("push:test"))
    assert [r.payload["title"] for r in pushes.received] == ["Notifications are on"]


def test_it_refuses_a_device_without_a_name_or_keys(client, member, vapid, pushes):
    client.force_login(member)
    subscription = pushes.subscription()
    response = client.post(reverse("push:subscribe"), {"device_name": "", **subscription})
    assert response.status_code == 422
    assert not PushSubscription.objects.exists()


def test_without_a_server_key_push_is_off(client, member, settings):
    settings.VAPID_PRIVATE_KEY = ""
    client.force_login(member)
    page = client.get(reverse("push:devices")).content.decode()
    assert "not set up on this server" in page and "data-push-key" not in page
    PushSubscription.objects.create(
        owner=member, endpoint="https://push.example/x", p256dh="x", auth="y", device_name="P"
    )
    assert services.push_send(user=member, kind="checkin") == 0


def test_a_persons_devices_leave_with_their_account(member):
    PushSubscription.objects.create(
        owner=member, endpoint="https://push.example/x", p256dh="x", auth="y", device_name="P"
    )
    UserFactory()  # someone else
    member.delete()
    assert not PushSubscription.objects.exists()


def test_a_check_in_reminder_reaches_the_members_devices_as_well_as_email(
    client, member, vapid, pushes
):
    from datetime import time

    from django.core import mail
    from django.utils import timezone

    from plans import reminders
    from plans.models import CheckInSchedule, Reminder

    client.force_login(member)
    subscribe(client, pushes, "Phone")
    now = timezone.now()
    schedule = CheckInSchedule.objects.create(owner=member, local_time=time(9), next_due_at=now)
    reminder = Reminder.objects.create(schedule=schedule, due_at=now, queued_at=now)

    assert reminders.reminder_deliver(reminder_id=reminder.pk, now=now)
    assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=now)

    assert len(mail.outbox) == 1
    assert [r.payload["title"] for r in pushes.received] == ["Time for your check-in"]
    assert member.display_name not in str(pushes.received[0].payload)
