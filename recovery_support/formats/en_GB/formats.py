"""English as read in the United Kingdom: the 24-hour clock ("19:00") and the week from
Monday. The named date shapes are formats/en's (day first already)."""

TIME_FORMAT = "H:i"  # 19:00
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
