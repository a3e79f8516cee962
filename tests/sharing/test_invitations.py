"""Invitations: sent by email, opened once, bound to the invited address."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sharing.models import Grant, Invitation
from tests.factories import UserFactory


@pytest.fixture
def invite(signed_in, member, django_capture_on_commit_callbacks):
    """The member invites someone; returns the link from the email."""

    def _invite(email="friend@example.org", role="supporter", **extra) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(
                reverse("sharing:invite"), {"email": email, "role": role, **extra}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        message = mail.outbox[-1]
        assert message.to == [email]
        return re.search(r"https?://\S+/invite/\S+/", message.body).group(0)

    return _invite


def _path(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_token_is_stored_only_as_a_hash_and_has_at_least_128_bits(invite):
    link = invite()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # 128 bits in base64
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert token not in str(Invitation.objects.values().get())


def test_invitee_accepts_and_the_browser_leaves_the_token_behind(invite, client, member):
    link = invite(email="Robin@Example.org")
    friend = UserFactory(email="robin@example.org")
    client.force_login(friend)
    response = client.get(_path(link))
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:invitation"), "redirected without the token"
    page = client.get(reverse("sharing:invitation"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{member} invites you" in text
    assert "only what they set to “My counselor and supporters”" in text
    response = client.post(reverse("sharing:invitation-accept"))
    assert response.status_code == 302
    grant = Grant.objects.get(member=member, grantee=friend)
    assert grant.role == "supporter"
    assert Invitation.objects.get().status == "accepted"


def test_an_invitee_who_is_signed_out_is_offered_sign_in_and_sign_up(invite, client, member):
    link = invite()
    client.logout()
    page = client.get(_path(link), follow=True)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Create an account" in text and "Sign in" in text
    assert "friend@example.org" in text
    assert not Grant.objects.exists()


def test_replaying_a_used_token_fails(invite, client, member):
    link = invite()
    friend = UserFactory(email="friend@example.org")
    client.force_login(friend)
    client.get(_path(link))
    client.post(reverse("sharing:invitation-accept"))
    client.get(_path(link))
    response = client.post(reverse("sharing:invitation-accept"))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Grant.objects.count() == 1
    # And from another account entirely.
    client.force_login(UserFactory(email="someone@example.org"))
    client.get(_path(link))
    assert client.get(reverse("sharing:invitation")).status_code == 410


def test_an_expired_invitation_gives_a_clear_page(invite, client):
    link = invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(UserFactory(email="friend@example.org"))
    client.get(_path(link))
    response = client.get(reverse("sharing:invitation"))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.post(reverse("sharing:invitation-accept")).status_code == 410
    assert not Grant.objects.exists()


def test_a_cancelled_invitation_gives_a_clear_page(invite, signed_in, client):
    link = invite()
    signed_in.post(reverse("sharing:invitation-cancel", args=[Invitation.objects.get().pk]))
    client.force_login(UserFactory(email="friend@example.org"))
    client.get(_path(link))
    response = client.get(reverse("sharing:invitation"))
    assert response.status_code == 410
    assert "cancelled" in response.content.decode()


def test_a_declined_invitation_cannot_be_accepted_later(invite, client):
    link = invite()
    client.force_login(UserFactory(email="friend@example.org"))
    client.get(_path(link))
    assert client.post(reverse("sharing:invitation-decline")).status_code == 302
    client.get(_path(link))
    response = client.post(reverse("sharing:invitation-accept"))
    assert response.status_code == 410
    assert "declined" in response.content.decode()
    assert not Grant.objects.exists()


def test_the_wrong_account_is_told_so_and_gets_nothing(invite, client):
    link = invite()
    client.force_login(UserFactory(email="not-friend@example.org"))
    client.get(_path(link))
    response = client.get(reverse("sharing:invitation"))
    assert response.status_code == 403
    assert "another email address" in response.content.decode()
    assert client.post(reverse("sharing:invitation-accept")).status_code == 403
    assert not Grant.objects.exists()
    assert Invitation.objects.get().status == "pending", "still usable by the right person"


def test_a_made_up_token_gives_a_clear_page(client, db):
    response = client.get(reverse("sharing:invitation-open", args=["x" * 43]))
    assert response.status_code == 404
    assert "doesn" in response.content.decode()
    assert client.get(reverse("sharing:invitation")).status_code == 404


def test_accepting_a_counselor_invitation_makes_a_professional_account(invite, client, member):
    link = invite(email="dr@example.org", role="counselor")
    doctor = UserFactory(email="dr@example.org")
    client.force_login(doctor)
    client.get(_path(link))
    client.post(reverse("sharing:invitation-accept"))
    doctor.refresh_from_db()
    assert doctor.is_professional, "so two-factor sign-in is required from now on"
    assert Grant.objects.get(grantee=doctor).role == "counselor"


def test_invalid_invitations_keep_what_was_typed(signed_in, member):
    response = signed_in.post(
        reverse("sharing:invite"), {"email": member.email, "role": "boss", "ends_on": "2001-01-01"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "That is your own address" in text
    assert "Select a valid choice" in text
    assert "Choose today or a day after today" in text
    assert f'value="{member.email}"' in text
    assert not Invitation.objects.exists()


def test_a_new_account_finds_its_invitation_on_the_dashboard(invite, client):
    link = invite()
    client.logout()
    client.get(_path(link))
    friend = UserFactory(email="friend@example.org")
    client.force_login(friend)
    html = client.get(reverse("dashboard")).content.decode()
    assert "You have an invitation waiting" in html
    assert client.post(reverse("sharing:invitation-accept")).status_code == 302
    assert Grant.objects.filter(grantee=friend).exists()
