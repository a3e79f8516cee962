"""allauth's pages say "tú" in Spanish, as ours do (docs/glossary-es.md): the sentences
their catalogues say with "usted" are said again in ours (recovery_support/voice.py).
Without a browser: the pages as the server sends them, to a browser that speaks Spanish."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}
# "usted" and what says it: its possessives, pronoun and formal imperatives (those of
# allauth's and Django's Spanish).
USTED = re.compile(
    r"\b(su|sus|usted|introduzca|verifique|confirme|haga|pulse|escriba|ingrese|utilice|"
    r"inténtelo|regístrese|solicite|emita|compruebe|póngase|contáctenos|desea|olvidó)\b"
    r"|\bha olvidado\b|\ble hemos\b",
    re.IGNORECASE,
)


def _text(response) -> str:
    """What the page reads: its text, less scripts, styles and tags."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _assert_tu(response, *spanish: str) -> None:
    assert response.status_code == 200
    assert '<html lang="es"' in response.content.decode()
    text = _text(response)
    assert not USTED.findall(text), text
    for words in spanish:
        assert words in text, text


def test_the_usted_check_catches_allauths_spanish():
    assert USTED.search("¿Ha olvidado su contraseña? Introduzca su dirección")
    assert USTED.search("Le hemos enviado un correo electrónico.")
    assert not USTED.search("¿Olvidaste tu contraseña? Escribe tu dirección de correo")


@pytest.mark.django_db
def test_the_sign_in_page_and_its_refusals_say_tu(client, member):
    url = reverse("account_login")
    _assert_tu(
        client.get(url, **SPANISH_BROWSER),
        "Si todavía no tienes una cuenta, primero crea una",
        "¿Olvidaste tu contraseña?",
    )
    wrong = {"login": member.email, "password": "no-es-esta-2026"}
    _assert_tu(
        client.post(url, wrong, **SPANISH_BROWSER),
        "El correo o la contraseña que escribiste no son correctos.",
    )
    # An address the browser lets through but Django does not: Django's own message.
    unfinished = {"login": "ana@gmail", "password": PASSWORD}
    _assert_tu(
        client.post(url, unfinished, **SPANISH_BROWSER),
        "Escribe una dirección de correo válida.",
    )


@pytest.mark.django_db
def test_the_password_reset_pages_say_tu(client, member):
    url = reverse("account_reset_password")
    _assert_tu(
        client.get(url, **SPANISH_BROWSER),
        "¿Olvidaste tu contraseña? Escribe tu dirección de correo",
        "Si tienes algún problema para restablecer tu contraseña, escríbenos.",
    )
    response = client.post(url, {"email": member.email}, follow=True, **SPANISH_BROWSER)
    _assert_tu(response, "Te enviamos un correo. Si no lo ves en tu bandeja de entrada")

    # Someone signed in who asks anyway (the password page links here).
    member.language = "es"
    member.save()
    client.force_login(member)
    _assert_tu(client.get(url, **SPANISH_BROWSER), "Ya iniciaste sesión como Jordan.")


@pytest.mark.django_db
def test_signing_out_asks_with_tu(client, member):
    member.language = "es"
    member.save()
    client.force_login(member)
    _assert_tu(client.get(reverse("account_logout")), "¿Quieres cerrar sesión?")
