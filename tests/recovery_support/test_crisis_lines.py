"""Crisis lines from a table per country (recovery_support/crisis_lines.py): the
member's country on "About you", their own crisis contacts above the lines."""

import html

import pytest
from django.urls import reverse

from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_crisis_lines_follow_the_members_country(signed_in, member):
    body = text(signed_in.get(reverse("need_help")))
    assert 'href="tel:988"' in body and "1-800-662-4357" in body
    member.country = "GB"
    member.save()
    body = text(signed_in.get(reverse("need_help")))
    assert 'href="tel:116123"' in body and "Samaritans" in body
    assert "1-800-662-4357" not in body


def test_the_country_is_chosen_on_about_you(signed_in, member):
    response = signed_in.post(
        reverse("account-details"),
        {"display_name": "Jordan", "recovery_started_on": "", "country": "ES"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.country == "ES"
    response = signed_in.post(
        reverse("account-details"), {"display_name": "Jordan <b>", "country": "XX"}
    )
    assert response.status_code == 422
    assert "Jordan &lt;b&gt;" in response.content.decode()  # typed input kept, escaped
    assert "Select a valid choice. XX is not one of the available choices." in text(response)
    member.refresh_from_db()
    assert member.country == "ES"


def test_the_crisis_card_and_printed_plan_follow_the_country_too(signed_in, member):
    member.country = "MX"
    member.save()
    for url in (reverse("crisis-card"), reverse("plans:print")):
        body = text(signed_in.get(url))
        assert 'href="tel:800 911 2000"' in body and "Línea de la Vida" in body
        assert "988" not in body


def test_the_members_crisis_contacts_come_before_the_lines(signed_in, member):
    SupportSourceFactory(owner=member, name="Ray", crisis_contact=True, phone="+1 555 303 1200")
    body = text(signed_in.get(reverse("plans:print")))
    assert body.index("Ray") < body.index("988")


def test_no_crisis_lines_in_settings():
    from django.conf import settings

    assert not hasattr(settings, "CRISIS_LINES")
