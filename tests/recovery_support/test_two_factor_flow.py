"""A counselor sets up two-factor for real and then signs in with it."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    validate_totp_code,
)
from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    """The code an authenticator app shows now, never one about to expire."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def a_wrong_code(secret: str) -> str:
    code = "000000"
    while validate_totp_code(secret, code):
        code = f"{int(code) + 1:06}"
    return code


def sign_in_with_password(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response


def submit_code(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)


def sign_out(client):
    client.post(reverse("account_logout"))
    assert not get_user(client).is_authenticated


def recovery_codes_on_page(content: bytes) -> list[str]:
    textarea = re.search(rb"<textarea[^>]*>(.*?)</textarea>", content, re.S)
    assert textarea, "the recovery codes page shows the codes"
    return textarea.group(1).decode().split()


def set_up_two_factor(client, counselor) -> tuple[str, list[str]]:
    """Walk the real setup: sign in, confirm the password, scan, type the code."""
    response = sign_in_with_password(client, counselor)
    # The counselor lands on allauth's password confirmation before setup.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")

    page = response.content.decode()
    shown = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', page)
    if shown is None:
        shown = re.search(r'value="([A-Z2-7=]+)"[^>]*id="authenticator_secret"', page)
    assert shown, "the setup page shows the secret to type into an app"
    secret = shown.group(1)
    assert client.session[SECRET_SESSION_KEY] == secret
    assert f"secret={secret}" in response.context["totp_url"], "the QR code has the same secret"

    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_code(secret)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=counselor, type=Authenticator.Type.TOTP).exists()
    codes = recovery_codes_on_page(response.content)
    return secret, codes


def test_a_counselor_sets_up_two_factor_and_is_then_let_through(client, counselor):
    _, codes = set_up_two_factor(client, counselor)

    assert len(codes) == mfa_settings.RECOVERY_CODE_COUNT
    assert all(c.isdigit() and len(c) == mfa_settings.RECOVERY_CODE_DIGITS for c in codes)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert recovery_codes_on_page(response.content) == codes

    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Dr. Okafor" in response.content.decode()


def test_a_counselor_signing_in_again_is_asked_for_the_authenticator_code(client, counselor):
    secret, _ = set_up_two_factor(client, counselor)
    sign_out(client)

    response = sign_in_with_password(client, counselor)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert b"Two-Factor Authentication" in response.content
    assert not get_user(client).is_authenticated, "the password alone signs nobody in"
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    response = submit_code(client, a_wrong_code(secret))
    assert response.status_code == 200
    assert b"Incorrect code." in response.content
    assert not get_user(client).is_authenticated

    response = submit_code(client, current_code(secret))
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.status_code == 200
    assert get_user(client) == counselor


def test_a_recovery_code_signs_a_counselor_in_once_and_only_once(client, counselor):
    _, codes = set_up_two_factor(client, counselor)
    recovery_code = codes[3]
    sign_out(client)

    sign_in_with_password(client, counselor)
    response = submit_code(client, recovery_code)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert get_user(client) == counselor
    remaining = (
        Authenticator.objects.get(user=counselor, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert recovery_code not in remaining
    assert len(remaining) == len(codes) - 1
    sign_out(client)

    response = sign_in_with_password(client, counselor)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    response = submit_code(client, recovery_code)
    assert response.status_code == 200
    assert b"Incorrect code." in response.content
    assert not get_user(client).is_authenticated
    assert client.get(reverse("dashboard")).status_code == 302

    # Another unused code still works.
    response = submit_code(client, codes[4])
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert get_user(client) == counselor
