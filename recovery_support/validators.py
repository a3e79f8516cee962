"""Text people type that we show on one line: a name in an email's subject and
greeting, in page headings, in the lists other people see."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional formatting characters: each can make text read differently from what
# it is ("\u202egnp.exe" shows as "exe.png"). A name has no need of them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def breaks_a_line(char: str) -> bool:
    """Control characters (tab, carriage return, line feed, NUL ...) and the
    Unicode line and paragraph separators."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def validate_one_line(value: str) -> None:
    if any(breaks_a_line(char) or char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            _("Please type this without line breaks or hidden formatting characters."),
            code="hidden_characters",
        )


def one_line(value: str) -> str:
    """`value` as one plain line, whatever is stored: control characters and line
    breaks become spaces, bidirectional controls go, runs of spaces become one."""
    if value.isprintable() and "  " not in value and value.strip(" ") == value:
        # The usual case, at once: no control, separator or format character (the
        # bidirectional ones among them), and no space but single ones inside.
        return value
    kept = (" " if breaks_a_line(char) else "" if char in BIDI_CONTROLS else char for char in value)
    return " ".join("".join(kept).split())
