"""Alerts to a counselor, only with the member's consent, each sent once."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule
from recovery_support.models import User
from sharing import alerts
from sharing.models import Grant

HELP = {"mood": "2", "craving": "8", "needed_help": "on"}


@pytest.fixture
def grant(their_counselor):
    return Grant.objects.get(grantee=their_counselor)


def test_no_alert_without_consent(signed_in, grant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("plans:checkin"), HELP)
    assert CheckIn.objects.get().needed_help
    assert mail.outbox == []


def test_asking_for_help_alerts_the_counselor_once(
    signed_in, grant, member, their_counselor, django_capture_on_commit_callbacks
):
    grant.alert_on_help = True
    grant.save()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            signed_in.post(reverse("plans:checkin"), HELP)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [their_counselor.email]
    assert "I need help now" in message.body
    assert f"/clients/{member.pk}/" in message.body
    assert "craving" not in message.body.lower(), "no check-in answers in the email"


def test_missed_check_ins_alert_once_per_run(grant, member, their_counselor):
    today = timezone.localdate()
    schedule = CheckInSchedule.objects.create(owner=member, local_time=time(9))
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    CheckIn.objects.create(owner=member, day=today - timedelta(days=4), mood=3, craving=3)
    grant.alert_after_missed = 3
    grant.save()

    assert alerts.missed_alerts_send() == 1, "three days missed since the last check-in"
    assert alerts.missed_alerts_send() == 0, "the same run is not told twice"
    assert len(mail.outbox) == 1
    assert "3 planned days in a row" in mail.outbox[0].body

    grant.alert_after_missed = 4
    grant.save()
    Grant.objects.filter(pk=grant.pk).update(alert_after_missed=5)
    assert alerts.missed_alerts_send() == 0, "not yet five"


def test_settings_refuse_numbers_out_of_range(signed_in, grant):
    response = signed_in.post(
        reverse("sharing:grant-settings", args=[grant.pk]), {"alert_after_missed": "40"}
    )
    assert response.status_code == 422
    assert "less than or equal to 14" in response.content.decode()
    grant.refresh_from_db()
    assert grant.alert_after_missed is None


def test_the_missed_check_in_sweep_judges_the_end_date_where_the_member_is(grant, member):
    """The sweep runs in the server's zone; the member's last day of access is theirs."""
    east, west = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
    User.objects.filter(pk=member.pk).update(time_zone=east.key)
    schedule = CheckInSchedule.objects.create(owner=member, local_time=time(9))
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    # Over where the member is, a day or two ago; today in a zone far west.
    Grant.objects.filter(pk=grant.pk).update(
        alert_after_missed=3, ends_on=timezone.localdate(timezone=west)
    )
    with timezone.override(west):
        assert alerts.missed_alerts_send() == 0
    assert mail.outbox == []
