"""Every email we send (ours and allauth's), to a person who reads Spanish, is in
Spanish: subject, text and HTML, with no English sentence left. And it is the
recipient's language that counts, not the sender's: an English-speaking member's
invitation to his Spanish-speaking mother, and his help alert to her, read in Spanish.

The emails and the ways each is sent are those of tests/security/test_email_hostile.py,
which fails when a new email template has no way to be sent there."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from sharing.models import Grant
from tests.factories import UserFactory
from tests.security.test_email_hostile import EMAILS, Elements, Hostile, celery_eager

__all__ = ["celery_eager"]  # the fixture: tasks run at once, in the test

ANA = Hostile("a name", "Ana", "Ana")

# Words that are English and never Spanish ("has" is one: "has hecho"): one of them in
# an email means an English sentence (or a piece of one) reached a Spanish speaker.
ENGLISH = re.compile(
    r"\b(the|your|you|and|with|this|that|please|today|reminder|invitation|invited|sign|"
    r"account|password|here|will|when|what|who|have|asked|help|care|link|check-in|"
    r"someone|note|from|about|if|it|is|are|of|to)\b",
    re.IGNORECASE,
)
SPANISH = re.compile(r"\b(tu|de|que|para|con|el|la|en)\b", re.IGNORECASE)
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
NOT_WORDS = ("Recovery Support", "Ana", "Jordan")  # our name and the people's


def _readable(message) -> str:
    """What the reader reads: the subject, the text, the HTML's visible text, less the
    addresses, our name and the people's names."""
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    text = "\n".join([message.subject, message.body, " ".join(Elements(html).text)])
    text = ADDRESS.sub(" ", text)
    for name in NOT_WORDS:
        text = text.replace(name, " ")
    return text


def _assert_spanish(message) -> None:
    readable = _readable(message)
    english = sorted({word.lower() for word in ENGLISH.findall(readable)})
    assert not english, f"English in {message.subject!r}: {english}\n{readable}"
    assert SPANISH.search(readable), readable


@pytest.mark.django_db
@pytest.mark.parametrize("email", EMAILS)
def test_every_email_reads_in_spanish_to_a_spanish_speaker(
    email, member, their_counselor, their_supporter, client, django_capture_on_commit_callbacks
):
    people = {"member": member, "counselor": their_counselor, "supporter": their_supporter}
    for person in people.values():
        person.language = "es"
        person.save()
    people["client"] = client
    EMAILS[email](people, ANA, django_capture_on_commit_callbacks)

    assert mail.outbox, f"{email} was not sent"
    for message in mail.outbox:
        _assert_spanish(message)


@pytest.mark.django_db
def test_an_english_speakers_invitation_and_help_alert_reach_his_mother_in_spanish(
    client, django_capture_on_commit_callbacks
):
    son = UserFactory(display_name="Jordan", language="en")
    client.force_login(son)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("sharing:invite"),
            {"email": "mama@example.org", "role": "supporter", "language": "es"},
        )
    (invitation,) = mail.outbox
    assert invitation.to == ["mama@example.org"]
    _assert_spanish(invitation)

    mother = UserFactory(display_name="Ana", email="mama@example.org", language="es")
    Grant.objects.create(member=son, grantee=mother, role="supporter", alert_on_help=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:checkin"), {"needed_help": "on"})
    assert response.status_code in (200, 302)
    (alert,) = mail.outbox
    assert alert.to == ["mama@example.org"]
    _assert_spanish(alert)
    # ... while the son's own pages stay in English.
    assert "Check in" in client.get(reverse("plans:checkin")).content.decode()
