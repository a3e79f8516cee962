"""What one person may send to others is limited per hour (and invitations per day):
past the limit nothing is sent, the form keeps what they typed and says why, 429."""

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Plan
from recovery_support.models import User
from sharing.models import Comment, Encouragement, Invitation
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOUR = 60 * 60
HTMX = {"HX-Request": "true"}


def invite(client, n: int, **extra):
    return client.post(
        reverse("sharing:invite"),
        {"email": f"friend{n}@example.org", "role": "supporter", **extra},
    )


def test_the_eleventh_invitation_in_an_hour_is_refused_and_the_form_kept(signed_in, member):
    for n in range(10):
        assert invite(signed_in, n).status_code == 302, n

    response = invite(signed_in, 10)

    assert response.status_code == 429
    html = response.content.decode()
    assert "sent a lot of invitations" in html
    assert 'value="friend10@example.org"' in html
    assert Invitation.objects.filter(member=member).count() == 10


def test_no_more_than_thirty_invitations_go_out_in_a_day(signed_in, member, clock):
    for n in range(30):
        if n and n % 10 == 0:
            clock(HOUR + 1)
        assert invite(signed_in, n).status_code == 302, n
    clock(HOUR + 1)

    assert invite(signed_in, 30).status_code == 429
    clock(23 * HOUR)
    assert invite(signed_in, 31).status_code == 302
    assert Invitation.objects.filter(member=member).count() == 31


def test_the_limit_is_each_persons_own(signed_in, member, other_member):
    for n in range(10):
        invite(signed_in, n)
    assert invite(signed_in, 10).status_code == 429

    other = Client()
    other.force_login(other_member)
    assert invite(other, 10).status_code == 302


def test_a_form_with_a_mistake_does_not_count(signed_in, member):
    for n in range(12):
        assert invite(signed_in, n, role="stranger").status_code == 422
    assert invite(signed_in, 0).status_code == 302


def test_the_twenty_first_encouragement_in_an_hour_is_refused_beside_the_form(
    client, member, their_supporter
):
    client.force_login(their_supporter)
    url = reverse("sharing:encourage", args=[member.pk])
    for n in range(20):
        assert client.post(url, {"body": f"Go {n}"}, headers=HTMX).status_code == 200

    response = client.post(url, {"body": "One more cheer"}, headers=HTMX)

    assert response.status_code == 429
    html = response.content.decode()
    assert "sent a lot of messages" in html
    assert "One more cheer" in html
    assert Encouragement.objects.filter(grant__grantee=their_supporter).count() == 20
    plain = client.post(url, {"body": "Without htmx"})
    assert plain.status_code == 429
    assert "Without htmx" in plain.content.decode()


def test_the_thirty_first_comment_in_an_hour_is_refused_beside_the_form(
    client, member, their_counselor
):
    Plan.objects.create(owner=member, status="active")
    client.force_login(their_counselor)
    url = reverse("sharing:comment-add", args=[member.pk])
    for n in range(30):
        response = client.post(url, {"about": "step:1", "body": f"Note {n}"}, headers=HTMX)
        assert response.status_code == 200, n

    response = client.post(url, {"about": "step:2", "body": "Well done"}, headers=HTMX)

    assert response.status_code == 429
    html = response.content.decode()
    assert "added a lot of comments" in html
    assert "Well done" in html
    assert Comment.objects.filter(plan__owner=member).count() == 30


def test_the_sixth_password_try_to_delete_in_15_minutes_is_refused_even_if_right(
    signed_in, member, clock
):
    url = reverse("sharing:delete-account")
    for n in range(5):
        assert signed_in.post(url, {"password": f"guess-{n}"}).status_code == 422

    response = signed_in.post(url, {"password": PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many tries" in html
    assert "not your password" not in html  # the guess is not even checked
    assert User.objects.filter(pk=member.pk).exists()

    clock(15 * 60 + 1)
    assert signed_in.post(url, {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
