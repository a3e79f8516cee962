"""The lines that answer day and night, by the member's country (on their account,
"About you"; the United States unless they choose another). Only numbers we are sure
of: a wrong crisis number is worse than none. Shown after the member's own people."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    name: str
    detail: str
    call: str = ""
    text: str = ""
    text_body: str = ""  # what to text, where the line asks for a word first


@dataclass(frozen=True)
class Country:
    name: str
    lines: tuple[Line, ...]


def _emergency(number: str, name: str = "Emergency services") -> Line:
    return Line(name, "If you or someone else is in danger now.", call=number)


DEFAULT_COUNTRY = "US"

COUNTRIES = {
    "US": Country(
        "United States",
        (
            _emergency("911"),
            Line(
                "988 Suicide & Crisis Lifeline",
                "Call or text, any time, free.",
                call="988",
                text="988",
            ),
            Line(
                "SAMHSA National Helpline",
                "Treatment referral and information about substance use, any time, free.",
                call="1-800-662-4357",
            ),
            Line(
                "Crisis Text Line",
                "Text HOME to 741741 to reach a crisis counselor.",
                text="741741",
                text_body="HOME",
            ),
        ),
    ),
    "CA": Country(
        "Canada",
        (
            _emergency("911"),
            Line(
                "9-8-8 Suicide Crisis Helpline",
                "Call or text, any time, free.",
                call="988",
                text="988",
            ),
        ),
    ),
    "GB": Country(
        "United Kingdom",
        (
            _emergency("999"),
            Line("Samaritans", "Call any time, free, to talk about anything.", call="116123"),
            Line("Shout", "Text SHOUT to 85258, any time, free.", text="85258", text_body="SHOUT"),
        ),
    ),
    "IE": Country(
        "Ireland",
        (
            _emergency("112"),
            Line("Samaritans", "Call any time, free, to talk about anything.", call="116123"),
        ),
    ),
    "MX": Country(
        "Mexico",
        (
            _emergency("911", "Emergencias"),
            Line(
                "Línea de la Vida",
                "Substance use and emotional support, any time, free.",
                call="800 911 2000",
            ),
        ),
    ),
    "ES": Country(
        "Spain",
        (
            _emergency("112", "Emergencias"),
            Line(
                "024 Línea de atención a la conducta suicida",
                "Call any time, free.",
                call="024",
            ),
        ),
    ),
    "AU": Country(
        "Australia",
        (
            _emergency("000"),
            Line("Lifeline", "Call any time, free.", call="13 11 14"),
        ),
    ),
    "NZ": Country(
        "New Zealand",
        (
            _emergency("111"),
            Line("Need to talk? 1737", "Call or text, any time, free.", call="1737", text="1737"),
        ),
    ),
}

COUNTRY_CHOICES = [(code, country.name) for code, country in COUNTRIES.items()]


def crisis_lines_for(user=None) -> tuple[Line, ...]:
    """The lines of the person's country; of the default one for someone signed out."""
    code = getattr(user, "country", None) or DEFAULT_COUNTRY
    return COUNTRIES.get(code, COUNTRIES[DEFAULT_COUNTRY]).lines
