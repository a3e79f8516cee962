"""Dates in the reader's own words and order: "5 December" in English, "5 de diciembre"
in Spanish. Each shape has a name; the active language's format module
(recovery_support/formats/<locale>/formats.py) says how it reads.

Templates: `{% load dates %}{{ day|local_date:"DAY" }}`; Python: `local_date(day, "DAY")`.
Times keep Django's own `|time` and `time_format`, which read TIME_FORMAT the same way.
"""

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.formats import get_format_modules
from django.utils.translation import get_language

# The names, each with its English shape (the format modules may say otherwise).
SHAPES = {
    "DAY": "j F",  # 5 December
    "WEEKDAY_DAY": "l j F",  # Saturday 5 December
    "SHORT_DAY": "j M",  # 5 Dec
    "SHORT_WEEKDAY_DAY": "D j M",  # Sat 5 Dec
    "FULL_DATE": "j F Y",  # 5 December 2026
}


def shape(name: str) -> str:
    """The active language's format for the date shape `name`."""
    for module in get_format_modules(get_language()):
        found = getattr(module, f"{name}_FORMAT", None)
        if found is not None:
            return found
    return SHAPES[name]


def local_date(value: date | None, name: str = "DAY") -> str:
    """`value` in the shape `name`; a moment is read in the current time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, shape(name))
