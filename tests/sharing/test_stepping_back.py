"""A supporter or counselor ends their own access: they confirm first, the member is
told kindly (an email and a line on their Sharing page), and the access log keeps it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sharing.models import AccessRecord, Grant

STOP_URLS = {"supporter": "sharing:supporting-stop", "counselor": "sharing:client-stop"}


@pytest.fixture
def grantee(request, their_supporter, their_counselor):
    return {"supporter": their_supporter, "counselor": their_counselor}[request.param]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("grantee", ["supporter", "counselor"], indirect=True)
def test_a_grantee_confirms_then_stops_and_the_member_is_told_kindly(
    grantee, member, signed_in, django_capture_on_commit_callbacks
):
    grant = Grant.objects.get(grantee=grantee)
    url = reverse(STOP_URLS[grant.role], args=[member.pk])
    client = _client(grantee)
    own_page = "sharing:client" if grant.is_counselor else "sharing:supporting"
    assert f'href="{url}"' in client.get(reverse(own_page, args=[member.pk])).content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert f"Stop supporting {member}?" in html
    assert "let them know you have stepped back" in html
    grant.refresh_from_db()
    assert grant.revoked_at is None, "looking at the question changes nothing"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.ended_by_grantee
    assert client.get(reverse(own_page, args=[member.pk])).status_code == 404

    record = AccessRecord.objects.filter(member=member).first()  # the latest
    assert (record.viewer, record.role, record.what) == (grantee, grant.role, "ended their access")

    [message] = mail.outbox
    assert message.to == [member.email]
    assert str(grantee) not in message.subject, "a name someone typed stays out of the subject"
    assert f"{grantee} has stopped" in message.body
    assert "nothing you need to do" in message.body.lower()

    sharing = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert f"{grantee} chose to step back" in sharing


def test_stopping_twice_sends_one_email(
    their_supporter, member, django_capture_on_commit_callbacks
):
    client = _client(their_supporter)
    url = reverse("sharing:supporting-stop", args=[member.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 404
    assert len(mail.outbox) == 1
    assert AccessRecord.objects.filter(member=member).count() == 1


def test_a_grant_the_member_stopped_reads_as_theirs(their_supporter, member, signed_in):
    signed_in.post(reverse("sharing:grant-revoke", args=[Grant.objects.get().pk]))
    sharing = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert "chose to step back" not in sharing and "stopped" in sharing
