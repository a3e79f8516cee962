"""Labels of choices, looked up in a dict built once per field.

Django's `get_FOO_display()` builds a dict of the field's choices on every call
(about 10 µs): the network page's 60 rows and the map's table asked for 300 labels
a page. Models take `ChoiceLabels` first among their bases, and every
`get_FOO_display()` of theirs uses it.
"""

from functools import cache

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field: Field) -> dict:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels:
    def _get_FIELD_display(self, field: Field):  # what Django's does, with the dict kept
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
