"""Alerts to counselors and supporters, only with the member's consent, each sent once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule, HelpCall
from recovery_support.models import User
from sharing import alerts
from sharing.models import AccessRecord, Grant
from tests.factories import CounselorFactory, UserFactory

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
    assert "asked for help at" in message.body
    assert f"/clients/{member.pk}/" in message.body
    assert "craving" not in message.body.lower(), "no check-in answers in the email"


def test_missed_check_ins_alert_once_per_run(grant, member, their_counselor):
    today = member.local_today()
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


# --- Help now and slips ---------------------------------------------------------


@pytest.fixture
def people(member, their_counselor, their_supporter):
    """The counselor and a supporter with help alerts on; a supporter and a second
    counselor who were never asked; a supporter whose access ended."""
    Grant.objects.filter(grantee__in=[their_counselor, their_supporter]).update(alert_on_help=True)
    quiet_supporter = UserFactory(display_name="Quinn")
    quiet_counselor = CounselorFactory(display_name="Dr. Lee")
    gone = UserFactory(display_name="Gale")
    Grant.objects.create(member=member, grantee=quiet_supporter, role="supporter")
    Grant.objects.create(member=member, grantee=quiet_counselor, role="counselor")
    Grant.objects.create(
        member=member,
        grantee=gone,
        role="supporter",
        alert_on_help=True,
        revoked_at=timezone.now(),
    )
    return {
        "counselor": their_counselor,
        "supporter": their_supporter,
        "quiet_supporter": quiet_supporter,
        "quiet_counselor": quiet_counselor,
        "gone": gone,
    }


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_help_alone_from_the_check_in_alerts(
    signed_in, grant, their_counselor, django_capture_on_commit_callbacks
):
    """Found by testers: the tick alone recorded nothing and alerted no one."""
    grant.alert_on_help = True
    grant.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("plans:checkin"), {"needed_help": "on"})
    assert recipients() == [their_counselor.email]


def test_help_alerts_counselors_and_consenting_supporters_once_each(
    signed_in, member, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("help-ask"))
    assert recipients() == sorted([people["counselor"].email, people["supporter"].email])
    call = HelpCall.objects.get(owner=member)
    assert alerts.help_alerts_send(help_call_id=call.pk) == 0, "a retried task sends nothing"
    assert len(mail.outbox) == 2
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert f"/clients/{member.pk}/" in by_person[people["counselor"].email]
    assert f"/supporting/{member.pk}/" in by_person[people["supporter"].email]
    for body in by_person.values():
        assert "Jordan asked for help at " in body and "Reach out when you can." in body


def test_asking_again_later_alerts_again(signed_in, people, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            signed_in.post(reverse("help-ask"))
    assert len(mail.outbox) == 4, "each ask is its own, even on the same day"


def test_the_alert_tells_the_members_own_time(grant, member):
    """Found by testers: "08:20 their time" for a New York member asking at 03:20. The
    worker draws the email with no zone of its own (the server's, UTC)."""
    User.objects.filter(pk=member.pk).update(time_zone="America/New_York")
    Grant.objects.filter(pk=grant.pk).update(alert_on_help=True)
    call = HelpCall.objects.create(owner=member)
    asked = datetime(2026, 1, 15, 3, 20, tzinfo=ZoneInfo("America/New_York"))
    HelpCall.objects.filter(pk=call.pk).update(created_at=asked)
    timezone.deactivate()
    assert alerts.help_alerts_send(help_call_id=call.pk) == 1
    body = mail.outbox[0].body
    assert "Jordan asked for help at 3:20 AM their time." in body
    assert "8:20" not in body


def test_a_slip_alerts_only_the_people_chosen(
    signed_in, member, people, django_capture_on_commit_callbacks
):
    chosen = [people["quiet_supporter"].pk, people["gone"].pk]  # one ended meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("help-slip"), {"note": "After the party.", "tell": chosen[:1]}
        )
    assert response.status_code == 302
    HelpCall.objects.get(owner=member).tell.add(people["gone"])  # even if ticked somehow
    assert alerts.help_alerts_send(help_call_id=HelpCall.objects.get().pk) == 0
    assert recipients() == [people["quiet_supporter"].email]
    body = mail.outbox[0].body
    assert "Jordan chose to tell you they had a slip" in body
    assert "After the party" not in body, "the member's note stays theirs"


def test_a_slip_with_nobody_ticked_tells_nobody(
    signed_in, member, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("help-slip"), {"note": ""})
    assert HelpCall.objects.get(owner=member).is_slip
    assert mail.outbox == []


def test_each_alert_is_in_the_members_access_log(
    signed_in, member, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("help-ask"))
    alerts.help_alerts_send(help_call_id=HelpCall.objects.get().pk)  # once, still
    records = AccessRecord.objects.filter(member=member)
    assert sorted(records.values_list("viewer_name", "role", "what")) == [
        ("Dr. Ade", "counselor", "an email: you asked for help"),
        ("Robin", "supporter", "an email: you asked for help"),
    ]
    body = signed_in.get(reverse("sharing:access-log")).content.decode()
    assert "an email: you asked for help" in body


def test_supporters_hear_of_help_only_once_the_member_switches_it_on(
    signed_in, member, their_supporter
):
    grant = Grant.objects.get(grantee=their_supporter)
    assert grant.alert_on_help is False, "nothing is shared by default"
    page = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert "Email Robin when I ask for help" in page
    signed_in.post(reverse("sharing:grant-settings", args=[grant.pk]), {"alert_on_help": "on"})
    grant.refresh_from_db()
    assert grant.alert_on_help is True
