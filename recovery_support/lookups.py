"""`field__any_of=[...]`: `field = ANY(%s)`, the list one array parameter.

`__in` writes a placeholder per value and prepares each: a batch of a hundred
reminders made its five reads about 3 ms each, mostly spent in Django preparing the
values and psycopg splitting a long statement it does not cache. With one array the
statement is the same for any number of values. For ids read by the hundred (the
delivery batches); registered on every field, relations included, by
RecoverySupportConfig.ready.
tests/recovery_support/test_lookups.py holds it to `__in`.
"""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
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
