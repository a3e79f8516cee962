"""Every alert emailed about a member is in their access log, as a read of their data
would be: who was told, and of what (never the missed days themselves)."""

from datetime import time, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule
from sharing import alerts
from sharing.models import AccessRecord, Grant


def test_a_missed_check_in_alert_is_in_the_members_access_log_once(
    signed_in, member, their_counselor
):
    today = member.local_today()
    schedule = CheckInSchedule.objects.create(owner=member, local_time=time(9))
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    CheckIn.objects.create(owner=member, day=today - timedelta(days=4), mood=3, craving=3)
    Grant.objects.filter(grantee=their_counselor).update(alert_after_missed=3)

    assert alerts.missed_alerts_send() == 1
    assert alerts.missed_alerts_send() == 0
    assert len(mail.outbox) == 1

    records = AccessRecord.objects.filter(member=member)
    assert list(records.values_list("viewer", "viewer_name", "role")) == [
        (their_counselor.pk, "Dr. Ade", "counselor")
    ]
    told = records.get().what
    assert "missed check-ins" in told
    assert not any(str(n) in told for n in range(10)), "no days, no count"
    html = signed_in.get(reverse("sharing:access-log")).content.decode()
    assert told in html and "Dr. Ade" in html
