"""A language per person: the browser's on a first visit, the footer's choice, the
account's once signed in; the formats of their country; emails in the recipient's."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import formats, translation

from recovery_support.dates import local_date
from recovery_support.emails import in_language_of, send_email
from recovery_support.languages import locale_of
from recovery_support.models import User
from tests.factories import UserFactory

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


def test_a_first_visit_reads_in_the_browsers_language(client):
    response = client.get("/accounts/login/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert b'<html lang="es">' in response.content
    assert response["Content-Language"] == "es"
    # The footer offers the other language, named in itself.
    assert b'lang="en">English</button>' in response.content


def test_a_browser_in_another_language_reads_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de")
    assert b'<html lang="en">' in response.content
    assert 'lang="es">Español</button>' in response.text


def test_the_footers_choice_is_remembered_for_someone_signed_out(client):
    response = client.post("/accounts/language/", {"language": "es", "next": "/help/"})
    assert response.status_code == 302
    assert response.url == "/help/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert b'<html lang="es">' in client.get("/help/").content


def test_the_footers_choice_goes_only_to_our_own_pages(client):
    response = client.post(
        "/accounts/language/", {"language": "es", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_an_unknown_language_is_refused(client, member):
    client.force_login(member)
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.language == "en"


def test_a_signed_in_person_reads_in_their_accounts_language_whatever_the_browser(client, member):
    client.force_login(member)
    response = client.get("/accounts/about-you/", **SPANISH_BROWSER)
    assert b'<html lang="en">' in response.content

    member.language = "es"
    member.save()
    response = client.get("/accounts/about-you/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert b'<html lang="es">' in response.content
    assert response["Content-Language"] == "es"


def test_the_footers_choice_is_stored_on_the_account(client, member):
    client.force_login(member)
    client.post("/accounts/language/", {"language": "es", "next": "/dashboard/"})
    member.refresh_from_db()
    assert member.language == "es"


def test_the_language_is_changed_on_the_account_page(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/about-you/",
        {"display_name": "Sam", "country": "US", "language": "es"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"
    # Signed out later, the pages stay in Spanish.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_the_account_page_keeps_the_language_when_a_form_leaves_it_out(client, member):
    member.language = "es"
    member.save()
    client.force_login(member)
    client.post("/accounts/about-you/", {"display_name": "Sam", "country": "US"})
    member.refresh_from_db()
    assert member.language == "es"


@pytest.mark.django_db
def test_sign_up_keeps_the_language_the_person_was_reading(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "rosa@example.org",
            "display_name": "Rosa",
            "password1": "a long and quiet river",
            "password2": "a long and quiet river",
            "time_zone": "America/Chicago",
            "country": "US",
        },
        **SPANISH_BROWSER,
    )
    assert response.status_code == 302
    assert User.objects.get(email="rosa@example.org").language == "es"


def test_no_language_is_left_active_after_a_request(client):
    client.get("/accounts/login/", **SPANISH_BROWSER)
    assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    ("language", "country", "locale", "time", "day"),
    [
        ("en", "US", "en", "7:05 PM", "Saturday 5 December"),
        ("en", "GB", "en-gb", "19:05", "Saturday 5 December"),
        ("es", "US", "es", "7:05 p.m.", "sábado 5 de diciembre"),
        ("es", "MX", "es", "7:05 p.m.", "sábado 5 de diciembre"),
        ("es", "ES", "es-es", "19:05", "sábado 5 de diciembre"),
    ],
)
def test_times_and_dates_follow_the_persons_language_and_country(
    language, country, locale, time, day
):
    person = User(language=language, country=country)
    moment = datetime(2026, 12, 5, 19, 5, tzinfo=ZoneInfo("UTC"))
    assert locale_of(person) == locale
    with in_language_of(person):
        assert formats.time_format(moment) == time
        assert local_date(moment.date(), "WEEKDAY_DAY") == day


def test_an_email_is_built_in_the_recipients_language_not_the_senders(member):
    member.language = "es"
    member.country = "ES"
    with translation.override("en"):
        with in_language_of(member):
            assert translation.get_language() == "es-es"
            send_email(
                to=member.email,
                subject="Hola",
                template="push/email/notice.txt",
                context={"person": member, "body": "b", "link": "/", "choices_link": "/"},
            )
        assert translation.get_language() == "en"
    assert len(mail.outbox) == 1


def test_an_address_without_an_account_is_written_to_in_the_language_given():
    with in_language_of("es-MX"):
        assert translation.get_language() == "es"
    with in_language_of(None):
        assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.fixture
def member(db):
    return UserFactory(language="en", country="US")
