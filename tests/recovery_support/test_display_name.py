"""A display name goes into email subjects and greetings, page headings and other
people's lists: one line of visible text, refused with line breaks or hidden
formatting characters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from recovery_support.models import User

REFUSED = [
    "Sam\r\nBcc: everyone@evil.example",
    "Sam\nSmith",
    "Sam\tSmith",
    "Sam\u2028Smith",  # line separator
    "Sam \u202egnp.exe",  # right-to-left override
    "Sam\u2066Smith",  # left-to-right isolate
]
ACCEPTED = ["José", "Zoë 🌈", "محمد", "👩‍👩‍👧 family", "Dr. O'Neil-Smith"]


def _sign_up(client, display_name: str):
    return client.post(
        reverse("account_signup"),
        {
            "email": "sam@example.org",
            "display_name": display_name,
            "password1": "quiet-harbour-mornings",
            "password2": "quiet-harbour-mornings",
            "time_zone": "Europe/Berlin",
        },
    )


def _field(page: str, name: str) -> str:
    """The markup of one field: its label, help, errors and input."""
    fields = page.split('<div class="field">')[1:]
    return next(field for field in fields if f'name="{name}"' in field)


@pytest.mark.django_db
@pytest.mark.parametrize("name", REFUSED)
def test_sign_up_refuses_a_name_with_a_line_break_or_hidden_characters(client, name):
    response = _sign_up(client, name)
    assert response.status_code == 200, "the form again, not a redirect"
    field = _field(response.content.decode(), "display_name")
    assert "without line breaks or hidden formatting characters" in field
    assert f'value="{escape(name)}"' in field, "what was typed is kept"
    assert not User.objects.filter(email="sam@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACCEPTED)
def test_sign_up_takes_names_in_any_script(client, name):
    response = _sign_up(client, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(email="sam@example.org").display_name == name


@pytest.mark.parametrize("name", REFUSED)
def test_the_model_refuses_them_too(name):
    with pytest.raises(ValidationError) as refused:
        User(email="sam@example.org", display_name=name).clean_fields(exclude=["password"])
    assert list(refused.value.error_dict) == ["display_name"]


# --- Never the email address for others ---------------------------------------------


@pytest.mark.django_db
def test_without_a_name_others_never_see_the_email_address(client, member, their_supporter):
    User.objects.filter(pk=member.pk).update(display_name="")
    client.force_login(their_supporter)
    body = client.get(reverse("sharing:supporting-list")).content.decode()
    assert member.email not in body
    assert f'<h2 id="person-{member.pk}">Someone you know</h2>' in body


@pytest.mark.django_db
def test_without_a_name_a_counselor_s_client_list_never_shows_the_email_address(
    client, member, their_counselor
):
    User.objects.filter(pk=member.pk).update(display_name="")
    client.force_login(their_counselor)
    body = client.get(reverse("sharing:clients")).content.decode()
    assert member.email not in body
    assert f'/clients/{member.pk}/">Someone you know</a></h2>' in body


@pytest.mark.django_db
def test_without_a_name_the_person_sees_their_own_email_address(client, member):
    User.objects.filter(pk=member.pk).update(display_name="")
    client.force_login(member)
    client.get(reverse("plans:home"))  # starts the plan
    body = client.get(reverse("plans:print")).content.decode()
    assert f'<p class="muted">{member.email} · draft</p>' in body


@pytest.mark.django_db
def test_the_name_can_be_changed_after_sign_up(client, member):
    client.force_login(member)
    response = client.post(reverse("account-details"), {"display_name": "Jo"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Jo"
