"""Sharing's emails go out in the recipient's language, not the sender's: an invitation
in the language the member chose for the invited person (who may have no account), the
rest in each recipient's own (User.language). Until the Spanish catalogue is written,
the dates say which language an email was drawn in: their month and weekday names come
from Django's own Spanish, in our Spanish shapes ("5 de diciembre de 2026")."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from recovery_support.dates import local_date
from sharing.forms import InvitationForm
from sharing.models import HelpRequest, Invitation
from tests.sharing.test_help_requests import ask, next_tuesday


def _in(language: str, day, shape: str) -> str:
    with translation.override(language):
        return local_date(day, shape)


@pytest.fixture
def ends_on():
    return timezone.localdate() + timedelta(days=40)


def test_an_invitation_goes_in_the_language_chosen_for_them(
    signed_in, member, ends_on, django_capture_on_commit_callbacks
):
    """A mother who reads Spanish, invited by her son who reads English."""
    assert member.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("sharing:invite"),
            {
                "email": "mama@example.org",
                "role": "supporter",
                "language": "es",
                "ends_on": ends_on.isoformat(),
            },
        )
    assert response.status_code == 302
    assert Invitation.objects.get().language == "es"
    [message] = mail.outbox
    spanish = _in("es", ends_on, "FULL_DATE")
    assert " de " in spanish
    assert spanish in message.body
    assert _in("en", ends_on, "FULL_DATE") not in message.body
    # The page that follows is the member's, still in English.
    assert translation.get_language() in (None, "en", "en-us")


def test_without_a_choice_the_invitation_is_in_the_members_language(
    signed_in, member, ends_on, django_capture_on_commit_callbacks
):
    member.language = "es"
    member.save(update_fields=["language"])
    form = InvitationForm(member=member)
    assert form["language"].value() == "es", "the member's own language is offered first"
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            reverse("sharing:invite"),
            {"email": "friend@example.org", "role": "supporter", "ends_on": ends_on.isoformat()},
        )
    assert Invitation.objects.get().language == "es"
    assert _in("es", ends_on, "FULL_DATE") in mail.outbox[-1].body


def test_the_invitation_page_opens_in_their_language_and_sign_up_follows(
    signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            reverse("sharing:invite"),
            {"email": "mama@example.org", "role": "supporter", "language": "es"},
        )
    link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)
    browser = Client(headers={"accept-language": "en"})
    browser.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    page = browser.get(reverse("sharing:invitation"))
    assert page.status_code == 200
    assert page["Content-Language"] == "es"
    assert '<html lang="es"' in page.content.decode()
    # Remembered for the sign-up that follows, unless they choose otherwise.
    assert page.cookies["django_language"].value == "es"


def test_the_invitation_page_keeps_a_language_the_person_chose(
    signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            reverse("sharing:invite"),
            {"email": "mama@example.org", "role": "supporter", "language": "es"},
        )
    link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    page = browser.get(reverse("sharing:invitation"))
    assert page["Content-Language"] == "en"


def test_a_request_for_help_reaches_each_supporter_in_their_own_language(
    signed_in, member, their_supporter, django_capture_on_commit_callbacks
):
    their_supporter.language = "es"
    their_supporter.save(update_fields=["language"])
    at = next_tuesday()
    with django_capture_on_commit_callbacks(execute=True):
        ask(signed_in, member, at=at)
    assert HelpRequest.objects.exists()
    [message] = [m for m in mail.outbox if m.to == [their_supporter.email]]
    assert _in("es", at.date(), "WEEKDAY_DAY") in message.body
    assert _in("en", at.date(), "WEEKDAY_DAY") not in message.body
