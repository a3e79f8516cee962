"""Professional sessions end after 30 idle minutes; taking a copy of one's data and
changing one's email address ask for the password again (allauth's reauthentication)."""

import json
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.urls import reverse

from recovery_support.middleware import LAST_ACTIVE_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60


def idle_for(client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVE_KEY] = time.time() - seconds
    session.save()


@pytest.fixture
def staff(db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    person = UserFactory(is_staff=True)
    TOTP.activate(person, generate_totp_secret())
    return person


@pytest.mark.parametrize("person", ["their_counselor", "staff"])
def test_a_professional_idle_for_30_minutes_is_signed_out(client, person, request):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("need_help")).status_code == 200
    idle_for(client, 31 * MINUTE)

    response = client.get(reverse("need_help"), follow=True)

    assert not get_user(client).is_authenticated
    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next=/help/"
    assert "signed you out" in response.content.decode()


def test_an_htmx_request_after_30_idle_minutes_goes_to_the_sign_in_page(client, their_counselor):
    client.force_login(their_counselor)
    client.get(reverse("dashboard"))
    idle_for(client, 31 * MINUTE)

    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("account_login"))
    assert not get_user(client).is_authenticated


def test_a_professional_active_within_30_minutes_stays_signed_in(client, their_counselor):
    client.force_login(their_counselor)
    client.get(reverse("need_help"))
    idle_for(client, 29 * MINUTE)

    assert client.get(reverse("need_help")).status_code == 200
    assert get_user(client) == their_counselor
    assert time.time() - client.session[LAST_ACTIVE_KEY] < MINUTE, "the clock starts again"


def test_a_member_is_not_signed_out_for_being_idle(signed_in, member):
    signed_in.get(reverse("dashboard"))
    idle_for(signed_in, 3 * 60 * MINUTE)

    assert signed_in.get(reverse("dashboard")).status_code == 200
    assert get_user(signed_in) == member


@pytest.mark.parametrize("export", ["sharing:export-json", "sharing:export-page"])
def test_taking_a_copy_of_ones_data_asks_for_the_password_again(signed_in, member, export):
    url = reverse(export)

    response = signed_in.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = signed_in.post(response.url, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert response.status_code == 200
    if export == "sharing:export-json":
        assert json.loads(response.content)["data"]["recovery_support.User"][0]["id"] == member.pk


def test_changing_ones_email_address_asks_for_the_password_again(signed_in, member):
    data = {"action_add": "", "email": "new-address@example.org"}

    response = signed_in.post(reverse("account_email"), data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new-address@example.org").exists()
    signed_in.post(response.url, {"password": PASSWORD}, follow=True)
    assert EmailAddress.objects.filter(user=member, email="new-address@example.org").exists()
