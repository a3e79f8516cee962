"""Which language and which local formats a person reads in.

A person chooses a language (User.language: "en" or "es"); their country (User.country,
chosen for the crisis lines) says how dates, times and numbers look. Where the country
reads differently from the plain language's formats, which are the United States' (the
default country), we activate both together as "<language>-<country>" ("es-es",
"en-gb"): the messages come from the language's catalogue (gettext falls back from
es_ES to locale/es), the formats from recovery_support/formats/es_ES first, then
formats/es (Django's get_format_modules). So a Spanish speaker in Spain reads "19:00",
one in the United States "7:00 p.m.", from one Spanish translation.

Only countries with a format module of their own get the country part: "es-mx" would
also bring Django's own es_MX catalogue, which capitalises month names ("5 Diciembre").
Adding formats/<language>_<COUNTRY> is all it takes to add one.

People who are not signed in get the plain language (from their browser or the footer's
choice).
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

CODES = frozenset(code for code, _name in settings.LANGUAGES)
DEFAULT = "en"
# "es-es", "en-gb", ...: the formats/<language>_<COUNTRY> modules there are.
WITH_COUNTRY_FORMATS = frozenset(
    folder.name.lower().replace("_", "-")
    for folder in (Path(__file__).parent / "formats").iterdir()
    if "_" in folder.name and (folder / "formats.py").exists()
)


class LanguageSelect(forms.Select):
    """The languages, each named in itself ("English", "Español") and marked as written
    in it, so that a screen reader says each in its own voice (WCAG 3.1.2)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in CODES:
            option["attrs"]["lang"] = value
        return option


def language_of(code: str | None) -> str:
    """The language we speak for a code such as "es-MX" or "en-us"; English otherwise."""
    try:
        found = translation.get_supported_language_variant(code or "")
    except LookupError:
        return DEFAULT
    return found.split("-")[0] if found.split("-")[0] in CODES else DEFAULT


def locale_of(person) -> str:
    """What to activate for this person: "es" for a Spanish speaker in the United
    States, "es-es" in Spain. `person` is a User, a language code (for an address with
    no account yet), or None (the language active now)."""
    if person is None:
        return translation.get_language() or settings.LANGUAGE_CODE
    if isinstance(person, str):
        return language_of(person)
    language = language_of(getattr(person, "language", None))
    with_country = f"{language}-{(getattr(person, 'country', '') or '').lower()}"
    return with_country if with_country in WITH_COUNTRY_FORMATS else language


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Set the language cookie too, so the pages stay in this language after signing
    out (LocaleMiddleware reads it for people not signed in)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The footer's choice: Django's set_language (the cookie, then back to the page the
    person was on, only if it is on our site), and for someone signed in their account's
    language too, so their emails and alerts follow."""
    language = request.POST.get("language", "")
    if language not in CODES:
        return HttpResponseBadRequest()
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return set_language(request)
