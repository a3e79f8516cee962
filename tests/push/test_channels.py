"""Channels and quiet hours: how each kind of reminder reaches the person (a
notification, an email, both, or nothing) and the hours when nothing is sent but
help alerts, across midnight and daylight-saving changes."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from plans import reminders
from plans.models import CheckInSchedule, Reminder
from recovery_support.push import services
from recovery_support.push.models import DeliveryChoices
from tests.factories import UserFactory
from tests.push.conftest import subscribe

NEW_YORK = ZoneInfo("America/New_York")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.mark.parametrize(
    ("at", "ends"),
    [
        (local(2026, 11, 22, 23, 0), local(2026, 11, 23, 7, 0)),  # before midnight
        (local(2026, 11, 23, 5, 0), local(2026, 11, 23, 7, 0)),  # after midnight
        (local(2026, 11, 23, 7, 0), None),  # the end itself is not quiet
        (local(2026, 11, 23, 21, 59), None),
        # Clocks go forward on March 8: the night is an hour shorter, 07:00 still 07:00.
        (local(2026, 3, 7, 23, 0), local(2026, 3, 8, 7, 0)),
        # Clocks go back on November 1: 07:00 EST, an hour longer.
        (local(2026, 10, 31, 23, 0), local(2026, 11, 1, 7, 0)),
    ],
)
def test_quiet_hours_across_midnight_end_at_the_wall_clock_time(at, ends):
    assert services.quiet_until(time(22), time(7), NEW_YORK, at) == ends


def test_quiet_hours_within_a_day_and_a_time_the_clocks_skip():
    assert services.quiet_until(time(13), time(15), NEW_YORK, local(2026, 5, 1, 14)) == local(
        2026, 5, 1, 15
    )
    assert services.quiet_until(time(13), time(15), NEW_YORK, local(2026, 5, 1, 12)) is None
    # 02:30 does not exist on March 8: quiet ends when the clocks reach it (03:30 EDT).
    ends = services.quiet_until(time(1), time(2, 30), NEW_YORK, local(2026, 3, 8, 1, 30))
    assert ends == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert services.quiet_until(time(7), time(7), NEW_YORK, local(2026, 5, 1, 7)) is None


@pytest.mark.django_db
def test_a_help_alert_is_never_held():
    person = UserFactory(time_zone="America/New_York")
    DeliveryChoices.objects.create(owner=person, quiet_start=time(22), quiet_end=time(7))
    night = local(2026, 11, 23, 2, 0)
    assert services.delivery_for(person, "help_alert", night) == ({"push", "email"}, None)
    # A request for a hand (a ride on Tuesday) waits for the morning like the rest.
    assert services.delivery_for(person, "help_request", night)[1] == local(2026, 11, 23, 7, 0)
    assert services.delivery_for(person, "checkin", night)[1] == local(2026, 11, 23, 7, 0)


def make_reminder(owner, due: datetime) -> Reminder:
    schedule = CheckInSchedule.objects.create(owner=owner, local_time=time(9), next_due_at=due)
    return Reminder.objects.create(schedule=schedule, due_at=due, queued_at=due)


@pytest.mark.parametrize(
    ("channel", "emails", "pushed"),
    [("both", 1, 1), ("email", 1, 0), ("push", 0, 1), ("none", 0, 0)],
)
def test_a_check_in_reminder_goes_by_the_channels_chosen(
    client, member, vapid, pushes, channel, emails, pushed
):
    client.force_login(member)
    subscribe(client, pushes, "Phone")
    response = client.post(
        reverse("push:choices"), {"checkin": channel, "quiet_start": "", "quiet_end": ""}
    )
    assert response.status_code == 302
    due = datetime.now(UTC)
    reminder = make_reminder(member, due)

    reminders.reminder_deliver(reminder_id=reminder.pk, now=due)

    assert len(mail.outbox) == emails
    assert len(pushes.received) == pushed
    reminder.refresh_from_db()
    assert reminder.status == ("skipped" if channel == "none" else "sent")


def test_a_reminder_in_quiet_hours_waits_until_they_end(
    member, vapid, pushes, django_capture_on_commit_callbacks
):
    member.time_zone = "America/New_York"
    member.save()
    DeliveryChoices.objects.create(owner=member, quiet_start=time(22), quiet_end=time(7))
    due = local(2026, 11, 22, 23, 0)
    reminder = make_reminder(member, due)

    with django_capture_on_commit_callbacks() as queued:
        assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=due)
    assert len(queued) == 1 and mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == "pending" and reminder.queued_at == local(2026, 11, 23, 7, 0)

    # Eight hours after it was due, but only just after the quiet hours: sent.
    assert reminders.reminder_deliver(reminder_id=reminder.pk, now=local(2026, 11, 23, 7, 1))
    assert len(mail.outbox) == 1


def test_the_choices_are_the_persons_own_and_need_both_quiet_times(client, member):
    client.force_login(member)
    response = client.post(
        reverse("push:choices"), {"checkin": "push", "quiet_start": "22:00", "quiet_end": ""}
    )
    assert response.status_code == 422
    assert "Give both times" in response.content.decode()
    client.post(
        reverse("push:choices"), {"checkin": "push", "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    saved = DeliveryChoices.objects.get(owner=member)
    assert saved.channels == {
        "checkin": "push",
        **dict.fromkeys(["contact_nudge", "meeting", "counselor_note", "help_request"], "both"),
    }
    assert (saved.quiet_start, saved.quiet_end) == (time(22), time(7))
    page = client.get(reverse("push:devices")).content.decode()
    assert 'value="22:00"' in page and 'value="push" selected' in page
