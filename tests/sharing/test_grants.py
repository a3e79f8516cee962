"""Grants: the member sees who has access and when they last looked, revokes at once,
and access with an end date ends by itself."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recovery_support.models import User
from sharing.models import AccessRecord, Grant


def test_the_member_sees_who_has_access_and_when_they_last_looked(
    signed_in, member, their_counselor, their_supporter
):
    counselor = Client()
    counselor.force_login(their_counselor)
    counselor.get(reverse("sharing:client", args=[member.pk]))
    html = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert str(their_counselor) in html and str(their_supporter) in html
    assert "last looked" in html and "has not looked yet" in html


def test_revoking_takes_effect_on_the_next_request(signed_in, member, their_counselor):
    counselor = Client()
    counselor.force_login(their_counselor)
    url = reverse("sharing:client", args=[member.pk])
    assert counselor.get(url).status_code == 200
    grant = Grant.objects.get(grantee=their_counselor)
    assert signed_in.post(reverse("sharing:grant-revoke", args=[grant.pk])).status_code == 302
    assert counselor.get(url).status_code == 404
    html = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert "Access that has ended" in html


def test_access_ends_by_itself_after_its_end_date(member, their_counselor):
    # The end date is the member's own last day, wherever the server's clock is.
    today = member.local_today()
    grant = Grant.objects.get(grantee=their_counselor)
    grant.ends_on = today
    grant.save()
    counselor = Client()
    counselor.force_login(their_counselor)
    url = reverse("sharing:client", args=[member.pk])
    assert counselor.get(url).status_code == 200, "the end date is the last day of access"
    Grant.objects.update(ends_on=today - timedelta(days=1))
    assert counselor.get(url).status_code == 404


def test_one_account_supports_several_members_and_is_a_member_itself(
    their_supporter, member, other_member
):
    Grant.objects.create(member=other_member, grantee=their_supporter, role="supporter")
    client = Client()
    client.force_login(their_supporter)
    html = client.get(reverse("dashboard")).content.decode()
    assert str(member) in html and str(other_member) in html
    assert client.get(reverse("sharing:supporting", args=[member.pk])).status_code == 200
    assert client.get(reverse("sharing:supporting", args=[other_member.pk])).status_code == 200
    assert client.get(reverse("networks:network")).status_code == 200


def test_the_access_log_lists_each_read_and_owners_reads_write_none(
    signed_in, member, their_counselor
):
    counselor = Client()
    counselor.force_login(their_counselor)
    counselor.get(reverse("sharing:client", args=[member.pk]))
    for name in ("dashboard", "networks:network", "plans:print", "plans:history"):
        signed_in.get(reverse(name))
    assert AccessRecord.objects.count() == 1
    html = signed_in.get(reverse("sharing:access-log")).content.decode()
    assert str(their_counselor) in html
    assert "network, plan and check-ins" in html


# Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11).
EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def test_an_end_date_is_judged_where_the_member_is(member, their_counselor, their_supporter):
    """The end date is the member's last day of access: a grantee who sets a zone far
    west of theirs keeps no extra hours."""
    User.objects.filter(pk=member.pk).update(time_zone=EAST)
    User.objects.filter(pk__in=[their_counselor.pk, their_supporter.pk]).update(time_zone=WEST)
    # Still today where the grantees are; already over where the member is.
    Grant.objects.update(ends_on=timezone.localdate(timezone=ZoneInfo(WEST)))
    counselor, supporter = Client(), Client()
    counselor.force_login(their_counselor)
    supporter.force_login(their_supporter)

    assert counselor.get(reverse("sharing:client", args=[member.pk])).status_code == 404
    assert counselor.get(reverse("sharing:clients")).context["rows"] == []
    assert supporter.get(reverse("sharing:supporting", args=[member.pk])).status_code == 404
    assert str(member) not in supporter.get(reverse("dashboard")).content.decode()
    assert not AccessRecord.objects.exists()


def test_the_access_log_shows_every_record_fifty_at_a_time(signed_in, member, their_counselor):
    grant = Grant.objects.get(grantee=their_counselor)
    start = timezone.now() - timedelta(days=30)
    AccessRecord.objects.bulk_create(
        AccessRecord(
            member=member,
            viewer=their_counselor,
            viewer_name="Dr. Ade",
            role=grant.role,
            what=f"read number {n}",
            at=start + timedelta(minutes=n),
        )
        for n in range(1, 231)
    )
    url = reverse("sharing:access-log")

    newest = signed_in.get(url).content.decode()
    assert newest.count("read number ") == 50
    assert "read number 230<" in newest and "read number 181<" in newest
    assert f'href="{url}?page=2"' in newest and "Newer" not in newest

    oldest = signed_in.get(url, {"page": 5}).content.decode()
    assert oldest.count("read number ") == 30
    assert "read number 1<" in oldest and "read number 30<" in oldest
    assert f'href="{url}?page=4"' in oldest and "Older" not in oldest
    for page in ("0", "-1", "x", "99999999999999999999"):
        assert signed_in.get(url, {"page": page}).status_code in (200, 404)
