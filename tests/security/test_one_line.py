"""A name shown on one line: whatever is stored, one plain line comes out."""

import random

from recovery_support.validators import BIDI_CONTROLS, breaks_a_line, one_line

# Letters of several scripts, spaces of several kinds, line breaks, controls and the
# bidirectional formatting characters.
PIECES = ["a", "Zoë", "ñ", "李", "😊", " ", "  ", "\u00a0", "\u2003", "\t", "\n", "\r\n"]
PIECES += ["\x00", "\x1b", "\u2028", "\u2029", "\u200b", "\u00ad", *sorted(BIDI_CONTROLS)]


def _slowly(value: str) -> str:
    """The rule one character at a time, as one_line's docstring states it."""
    kept = (" " if breaks_a_line(c) else "" if c in BIDI_CONTROLS else c for c in value)
    return " ".join("".join(kept).split())


def test_any_text_comes_out_as_the_rule_says():
    picker = random.Random(18)
    for _ in range(5000):
        value = "".join(picker.choices(PIECES, k=picker.randint(0, 8)))
        assert one_line(value) == _slowly(value), repr(value)


def test_a_plain_name_comes_back_as_it_is():
    for name in ["Ana", "María José", "Zoë O'Neil", "李小龙", "Ana 😊"]:
        assert one_line(name) == name
    assert one_line(" Ana\u202e  José\n") == "Ana José"
