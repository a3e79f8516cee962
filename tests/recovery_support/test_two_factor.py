import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recovery_support.middleware import TWO_FACTOR_SETUP_URLS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _named_urls_without_arguments() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not namespace
                and not pattern.pattern.regex.groups
            ):
                names.append(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_a_counselor_signing_in_is_sent_to_set_up_two_factor(client, counselor):
    response = client.post(
        reverse("account_login"), {"login": counselor.email, "password": PASSWORD}, follow=True
    )
    # After the dashboard, the setup page; allauth first asks for the password
    # again, as it does before any change to two-factor settings.
    urls = [url for url, _ in response.redirect_chain]
    assert urls[:2] == [reverse("dashboard"), reverse("mfa_activate_totp")]
    assert urls[2].startswith(reverse("account_reauthenticate"))

    response = client.post(urls[2], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert b"Authenticator" in response.content


def test_a_counselor_without_two_factor_reaches_no_page_but_setup_and_help(client, counselor):
    client.force_login(counselor)
    names = _named_urls_without_arguments()
    assert "dashboard" in names and "account_email" in names
    for name in names:
        response = client.get(reverse(name))
        if name in TWO_FACTOR_SETUP_URLS:
            assert response.status_code != 302 or response.url != reverse("mfa_activate_totp")
        else:
            assert response.status_code == 302, name
            assert response.url == reverse("mfa_activate_totp"), name


def test_an_htmx_request_from_a_counselor_without_two_factor_is_redirected(client, counselor):
    client.force_login(counselor)
    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_a_counselor_with_two_factor_reaches_their_dashboard(client, counselor):
    TOTP.activate(counselor, generate_totp_secret())
    assert Authenticator.objects.filter(user=counselor, type=Authenticator.Type.TOTP).exists()
    client.force_login(counselor)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_member_is_not_asked_for_two_factor(client, member):
    client.force_login(member)
    assert client.get(reverse("dashboard")).status_code == 200
