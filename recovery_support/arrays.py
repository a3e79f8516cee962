"""Lists handed to PostgreSQL as one array: what the batches of reminders and notices
read and write by the hundred and the thousand.

`field__any_of=[...]` is `field = ANY(%s)`, the list one array parameter. `__in`
writes a placeholder per value and prepares each: a batch of a hundred reminders made
its five reads about 3 ms each, mostly spent in Django preparing the values and psycopg
splitting a long statement it does not cache. With one array the statement is the same
for any number of values. Registered on every field, relations included, by
RecoverySupportConfig.ready.

`literal(values)` writes a list of ids, times or plain words as an array's text, for
a statement's parameter (`%s::bigint[]`): psycopg's client-side binding checks each
element of a list it quotes against a regular expression, about 4 µs an element, a
third of the sweep's time for its 30,000.

tests/recovery_support/test_arrays.py holds both to what psycopg and `__in` give.
"""

from datetime import datetime

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    """For a list of plain values (ids): not model instances, a queryset or None, which
    `__in` takes and this does not."""

    lookup_name = "any_of"

    def get_prep_lookup(self):
        prepare = self.lhs.output_field.get_prep_value
        return [prepare(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # a relation reads only its own class's lookups


def literal(values) -> str:
    """`{1,2,3}`: numbers, aware datetimes (ISO 8601) and words that need no quoting in
    an array (no space, comma, brace, quote or backslash: our own constants), None as
    NULL."""
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
