"""Spanish as read in Spain: the 24-hour clock ("19:00"), the week from Monday, a decimal
comma. Everything else (the named date shapes) comes from formats/es."""

TIME_FORMAT = "H:i"  # 19:00
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a non-breaking space
