"""Dates and times as people in the United States read them: "7:00 PM", not "19:00"
(Django's own English formats say "7 p.m."). Templates show a time with `|time` and a
moment with `|date:"DATETIME_FORMAT"` or `|date:"SHORT_DATETIME_FORMAT"`; Python with
django.utils.formats.time_format and date_format. Form fields that browsers draw
(type="time") keep the 24-hour value HTML asks for, and show it the browser's way."""

TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y, g:i A"
SHORT_DATETIME_FORMAT = "j M Y, g:i A"
