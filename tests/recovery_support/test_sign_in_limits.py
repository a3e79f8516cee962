"""Guessing a password is slowed down per account, and never locks anyone out for good."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from recovery_support.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG = "The email address and/or password you specified are not correct."


def sign_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def guess_wrong_five_times(client, email: str) -> None:
    for attempt in range(5):
        response = sign_in(client, email, f"wrong-guess-{attempt}")
        assert response.status_code == 200
        assert WRONG in response.content.decode(), attempt
        assert not get_user(client).is_authenticated


def test_the_sixth_sign_in_after_five_wrong_passwords_is_refused_even_if_right(client, member):
    guess_wrong_five_times(client, member.email)

    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not get_user(client).is_authenticated
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_limit_is_per_account(client, member, other_member):
    guess_wrong_five_times(client, member.email)
    assert TOO_MANY in sign_in(client, member.email, PASSWORD).content.decode()

    response = sign_in(client, other_member.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert get_user(client) == other_member


def test_the_block_ends_when_the_five_minute_window_has_passed(client, member, clock):
    guess_wrong_five_times(client, member.email)

    clock(4 * 60)
    assert TOO_MANY in sign_in(client, member.email, PASSWORD).content.decode()
    assert not get_user(client).is_authenticated

    clock(61)
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert get_user(client) == member


def test_passwords_are_stored_with_argon2(client, member):
    assert member.password.startswith("argon2")

    response = client.post(
        reverse("account_signup"),
        {
            "email": "sam@example.org",
            "display_name": "Sam",
            "password1": "quiet-harbour-mornings",
            "password2": "quiet-harbour-mornings",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302, response.content.decode()
    stored = User.objects.get(email="sam@example.org").password
    assert stored.startswith("argon2$argon2id$")
    assert "quiet-harbour-mornings" not in stored
