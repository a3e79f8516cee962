"""Dates and times in Spanish as read in the United States (the default country): the
12-hour clock ("7:00 p.m."), days with "de" ("sábado 5 de diciembre"), the week from
Sunday. Spain's differences are in formats/es_ES; other countries read these
(recovery_support/languages.py says which module a person gets)."""

# The named shapes of recovery_support/dates.py.
DAY_FORMAT = r"j \d\e F"  # 5 de diciembre
WEEKDAY_DAY_FORMAT = r"l j \d\e F"  # sábado 5 de diciembre
SHORT_DAY_FORMAT = "j M"  # 5 dic
SHORT_WEEKDAY_DAY_FORMAT = "D j M"  # sáb 5 dic
FULL_DATE_FORMAT = r"j \d\e F \d\e Y"  # 5 de diciembre de 2026

TIME_FORMAT = "g:i a"  # 7:00 p.m.
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
SHORT_DATETIME_FORMAT = "j M Y, g:i a"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 0  # Sunday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
