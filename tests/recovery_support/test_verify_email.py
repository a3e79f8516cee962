"""Confirming one's email address, in the browser one signed up in, signs one in and
goes on where one was going: no second sign-in with an empty form."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from recovery_support.models import User

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "river@example.org",
    "display_name": "River",
    "password1": "steady-mornings-2026",
    "password2": "steady-mornings-2026",
    "time_zone": "Europe/Berlin",
}


def _confirmation_path() -> str:
    return re.search(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)


def test_confirming_in_the_same_browser_signs_in_and_goes_on(client):
    response = client.post(
        reverse("account_signup"), {**SIGN_UP, "next": reverse("networks:network")}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session, "not before the address is confirmed"
    response = client.post(_confirmation_path())
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:network")
    assert client.session["_auth_user_id"] == str(User.objects.get(email=SIGN_UP["email"]).pk)


def test_without_a_place_to_go_it_is_the_dashboard(client):
    client.post(reverse("account_signup"), SIGN_UP)
    response = client.post(_confirmation_path())
    assert response["Location"] == reverse("dashboard")
    assert "_auth_user_id" in client.session


def test_a_link_opened_in_another_browser_confirms_but_does_not_sign_in(client):
    client.post(reverse("account_signup"), SIGN_UP)
    elsewhere = Client()
    response = elsewhere.post(_confirmation_path())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in elsewhere.session
    assert User.objects.get(email=SIGN_UP["email"]).emailaddress_set.get().verified
