"""Staff reach the admin only with two-factor sign-in, and the admin shows no one's
two-factor keys or email addresses."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.recovery_support.test_two_factor_flow import current_code, submit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_staff_signed_in_with_a_password_alone_are_sent_to_set_up_two_factor(client, staff):
    sign_in(client, staff)
    assert get_user(client) == staff

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    htmx = client.get("/admin/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("mfa_activate_totp")


def test_staff_with_two_factor_reach_the_admin_only_after_the_code(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    sign_in(client, staff)
    assert not get_user(client).is_authenticated
    assert client.get("/admin/").status_code == 302

    submit_code(client, current_code(secret))
    assert get_user(client) == staff
    assert client.get("/admin/").status_code == 200


def test_the_admin_lists_no_authenticators_and_no_email_addresses(client, staff):
    assert not admin.site.is_registered(Authenticator)
    assert not admin.site.is_registered(EmailAddress)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/mfa/authenticator/").status_code == 404
    assert client.get("/admin/account/emailaddress/add/").status_code == 404
