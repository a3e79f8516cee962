"""Signing up from an invitation: the link proved the address, so the new account
starts signed in with it verified, then goes straight on to answer (a counselor sets
up two-factor first)."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from recovery_support.models import User
from sharing.models import Grant
from tests.recovery_support.test_two_factor_flow import current_code

PASSWORD = "steady-mornings-2026"


@pytest.fixture
def invited(signed_in, member, client, django_capture_on_commit_callbacks):
    """The member invites someone, then the browser signs out and opens the link."""

    def _invited(email="robin@example.org", role="supporter"):
        with django_capture_on_commit_callbacks(execute=True):
            signed_in.post(reverse("sharing:invite"), {"email": email, "role": role})
        link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)
        client.logout()
        mail.outbox.clear()
        client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
        return client

    return _invited


def _sign_up(client, email: str, **extra):
    data = {
        "email": email,
        "display_name": "Robin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Europe/London",
        **extra,
    }
    return client.post(f"{reverse('account_signup')}?next={reverse('sharing:invitation')}", data)


def test_the_sign_up_form_is_filled_in_with_the_invited_address(invited):
    client = invited("Robin@Example.org")
    html = client.get(f"{reverse('account_signup')}?next=/invite/").content.decode()
    field = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'value="Robin@Example.org"' in field
    assert "the address your invitation was sent to" in html
    assert "I am signing up as a counselor" not in html, "the invitation says which"


def test_signing_up_with_the_invited_address_needs_no_second_verification(invited, member):
    client = invited("robin@example.org")
    response = _sign_up(client, "robin@example.org")

    assert response.status_code == 302
    assert response.url == reverse("sharing:invitation"), "straight on to the invitation"
    robin = User.objects.get(email="robin@example.org")
    assert get_user(client) == robin, "signed in: no Sign in page, no password again"
    assert EmailAddress.objects.get(user=robin).verified
    assert list(EmailAddress.objects.filter(user=robin).values_list("email", flat=True)) == [
        "robin@example.org"
    ]
    assert mail.outbox == [], "no email asking to verify the address"
    assert not robin.has_own_space and not robin.is_professional

    page = client.get(reverse("sharing:invitation"))
    assert page.status_code == 200
    assert client.post(reverse("sharing:invitation-accept")).status_code == 302
    assert Grant.objects.get(member=member, grantee=robin).role == "supporter"


def test_a_different_address_at_sign_up_is_verified_as_usual(invited):
    client = invited("robin@example.org")
    response = _sign_up(client, "robin.home@example.org")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not get_user(client).is_authenticated
    user = User.objects.get(email="robin.home@example.org")
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    assert addresses == [("robin.home@example.org", False)], "the invited address is not added"
    assert mail.outbox[-1].to == ["robin.home@example.org"]
    assert user.has_own_space, "not from the invitation: a space of their own, as anyone"


def test_a_cancelled_invitation_proves_nothing(invited, member):
    client = invited("robin@example.org")
    member.invitations_sent.update(status="revoked")
    _sign_up(client, "robin@example.org")
    assert not get_user(client).is_authenticated
    assert not EmailAddress.objects.get(email="robin@example.org").verified


def test_an_invited_counselor_sets_up_two_factor_then_accepts(invited, member):
    client = invited("dr.ade@example.org", role="counselor")
    response = _sign_up(client, "dr.ade@example.org")
    assert response.url == reverse("sharing:invitation")
    doctor = User.objects.get(email="dr.ade@example.org")
    assert doctor.is_professional and not doctor.has_own_space

    # Two-factor first, without typing the password just chosen once more.
    response = client.get(reverse("sharing:invitation"))
    assert response.url == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200, "no password confirmation a moment after sign-up"
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=doctor, type="totp").exists()

    # The page after setup (the recovery codes) leads on to the invitation.
    html = client.get(response.url).content.decode()
    assert f'href="{reverse("sharing:invitation")}"' in html
    assert client.get(reverse("sharing:invitation")).status_code == 200
    response = client.post(reverse("sharing:invitation-accept"), follow=True)
    assert Grant.objects.get(member=member, grantee=doctor).role == "counselor"
    assert response.redirect_chain[-1][0] == reverse("sharing:clients")


def test_the_invitation_says_who_invited_and_what_they_will_see(invited, member):
    client = invited("dr.ade@example.org", role="counselor")
    html = client.get(reverse("sharing:invitation")).content.decode()
    assert f"{member} invites you" in html
    assert member.email in html, "who sent it, beyond a name anyone could type"
    assert "Help alerts" in html and "Off for now" in html
    assert "Missed check-ins" in html
    assert "Create your account" in html and "button--big" in html


def test_a_waiting_invitation_is_offered_on_every_page_until_it_is_answered(invited, member):
    client = invited("robin@example.org")
    _sign_up(client, "robin@example.org")
    waiting = "You have an invitation waiting"
    assert waiting in client.get(reverse("account_email")).content.decode()
    member.invitations_sent.update(status="revoked")
    assert client.get(reverse("sharing:invitation")).status_code == 410
    assert waiting not in client.get(reverse("account_email")).content.decode()


def test_a_supporter_is_told_help_alerts_are_the_members_choice_too(invited):
    client = invited("robin@example.org")
    html = client.get(reverse("sharing:invitation")).content.decode()
    assert "Help alerts" in html and "unless they choose it" in html
    assert "Check-in streak" in html and "Missed check-ins" not in html
