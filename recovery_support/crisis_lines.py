"""The lines that answer day and night, by the member's country (on their account,
"About you"; the United States unless they choose another). Only numbers we are sure
of: a wrong crisis number is worse than none. Shown after the member's own people.

Each line says the languages it answers in. A line's own name is a name, kept as the
line spells it; what we say about it is translated. Where a line reaches another
language by a step of its own (988: press 2 for Spanish), readers of that language are
told the step, in their language (Line.note)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Line:
    name: str | Promise
    detail: str | Promise
    call: str = ""
    text: str = ""
    text_body: str = ""  # what to text, where the line asks for a word first
    languages: tuple[str, ...] = ("en",)  # the languages it answers in
    # How a reader of a language reaches it in that language: {"es": "Press 2 ..."}.
    steps: tuple[tuple[str, str | Promise], ...] = ()

    @property
    def note(self) -> str:
        """The step for the language of the page, if the line asks one."""
        reading = (get_language() or "en").split("-")[0]
        return next((str(step) for code, step in self.steps if code == reading), "")

    def answers_in(self, language: str) -> bool:
        return language.split("-")[0] in self.languages


@dataclass(frozen=True)
class Country:
    name: str | Promise
    lines: tuple[Line, ...]


def _emergency(number: str, languages: tuple[str, ...], name: str | Promise = "") -> Line:
    return Line(
        name or _("Emergency services"),
        _("If you or someone else is in danger now."),
        call=number,
        languages=languages,
    )


ANY_TIME_FREE = _("Call any time, free.")
CALL_OR_TEXT = _("Call or text, any time, free.")
SAMARITANS = _("Call any time, free, to talk about anything.")


DEFAULT_COUNTRY = "US"

COUNTRIES = {
    "US": Country(
        _("United States"),
        (
            _emergency("911", ("en", "es")),
            Line(
                "988 Suicide & Crisis Lifeline",
                CALL_OR_TEXT,
                call="988",
                text="988",
                languages=("en", "es"),
                # Spanish readers see it in Spanish: "Marque 2 para español".
                steps=(("es", _("Press 2 for Spanish.")),),
            ),
            Line(
                "SAMHSA National Helpline",
                _("Treatment referral and information about substance use, any time, free."),
                call="1-800-662-4357",
                languages=("en", "es"),
            ),
            Line(
                "Crisis Text Line",
                _("Text HOME to 741741 to reach a crisis counselor."),
                text="741741",
                text_body="HOME",
            ),
        ),
    ),
    "CA": Country(
        _("Canada"),
        (
            _emergency("911", ("en", "fr")),
            Line(
                "9-8-8 Suicide Crisis Helpline",
                CALL_OR_TEXT,
                call="988",
                text="988",
                languages=("en", "fr"),
            ),
        ),
    ),
    "GB": Country(
        _("United Kingdom"),
        (
            _emergency("999", ("en",)),
            Line("Samaritans", SAMARITANS, call="116123"),
            Line(
                "Shout",
                _("Text SHOUT to 85258, any time, free."),
                text="85258",
                text_body="SHOUT",
            ),
        ),
    ),
    "IE": Country(
        _("Ireland"),
        (
            _emergency("112", ("en", "ga")),
            Line("Samaritans", SAMARITANS, call="116123"),
        ),
    ),
    "MX": Country(
        _("Mexico"),
        (
            _emergency("911", ("es",), "Emergencias"),
            Line(
                "Línea de la Vida",
                _("Substance use and emotional support, any time, free."),
                call="800 911 2000",
                languages=("es",),
            ),
        ),
    ),
    "ES": Country(
        _("Spain"),
        (
            _emergency("112", ("es", "en"), "Emergencias"),
            Line(
                "024 Línea de atención a la conducta suicida",
                ANY_TIME_FREE,
                call="024",
                languages=("es",),
            ),
        ),
    ),
    "AU": Country(
        _("Australia"),
        (
            _emergency("000", ("en",)),
            Line("Lifeline", ANY_TIME_FREE, call="13 11 14"),
        ),
    ),
    "NZ": Country(
        _("New Zealand"),
        (
            _emergency("111", ("en",)),
            Line("Need to talk? 1737", CALL_OR_TEXT, call="1737", text="1737"),
        ),
    ),
}

COUNTRY_CHOICES = [(code, country.name) for code, country in COUNTRIES.items()]


def crisis_lines_for(user=None) -> tuple[Line, ...]:
    """The lines of the person's country; of the default one for someone signed out."""
    code = getattr(user, "country", None) or DEFAULT_COUNTRY
    return COUNTRIES.get(code, COUNTRIES[DEFAULT_COUNTRY]).lines
