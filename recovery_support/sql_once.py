"""A queryset's SQL built once per process, as fast_url does for URLs.

The client list asks one query with a dozen correlated subqueries. Django building
its SQL (resolving each expression, then compiling it) was about half the page's
time, though it comes out the same at every request but for its values (the
counselor, today's date). `SqlOnce` builds the queryset once with a stand-in for each
value and notes where each stand-in lands among the query's parameters; at the first
call it checks that the real values give that same SQL, with them where the stand-ins
were. From then on it fills in the values and runs that SQL, with Django's own
converters on what comes back. Where the check fails, every call goes through Django,
as before. Either way, one query a call.

The builder must only pass its arguments into the query, never look at them (no
`if today.weekday()`): the SQL is built from stand-ins. tests/recovery_support/
test_sql_once.py holds the client list's figures to Django's own on other days.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Slot:
    name: str  # the argument whose value goes here


@dataclass(frozen=True)
class _Shape:
    sql: str
    params: tuple  # constants, and a _Slot where a value goes
    names: list[str]  # of the columns: the keys of `.values()`
    converters: list  # Django's, by position: [(position, (functions, expression))]
    using: str


class SqlOnce:
    """`rows(**values)` gives what `list(build(**values))` gives, for a `build` that
    returns a `.values()` queryset: one dict a row."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self.shape: _Shape | bool | None = None  # None: not learnt yet; False: not for this

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        if self.shape is None:
            self.shape = self._learn(values)
        if self.shape is False:
            return list(self.build(**values))
        return _run(self.shape, values)

    def _learn(self, values: dict) -> _Shape | bool:
        queryset = self.build(**self.stand_ins)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots = {(type(value), value): _Slot(name) for name, value in self.stand_ins.items()}
        params = tuple(_slot_for(param, slots) for param in params)
        columns = compiler.select[: compiler.col_count]
        names = [alias for _, _, alias in columns]
        found = {param.name for param in params if isinstance(param, _Slot)}
        real = self.build(**values)
        if (
            found != set(self.stand_ins)
            or None in names  # a column without a name: not a .values() queryset
            or real.query.get_compiler(real.db).as_sql() != (sql, _fill(params, values))
        ):
            return False
        converters = compiler.get_converters([expression for expression, _, _ in columns])
        return _Shape(sql, params, names, list(converters.items()), queryset.db)


def _slot_for(param: Any, slots: dict) -> Any:
    """A stand-in is found by its type as well as its value (True == 1)."""
    try:
        return slots.get((type(param), param), param)
    except TypeError:  # a list among the parameters: never a stand-in
        return param


def _fill(params: tuple, values: dict) -> tuple:
    return tuple(values[p.name] if isinstance(p, _Slot) else p for p in params)


def _run(shape: _Shape, values: dict) -> list[dict[str, Any]]:
    connection = connections[shape.using]
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, _fill(shape.params, values))
        fetched = cursor.fetchall()
    rows = []
    for row in fetched:
        if shape.converters:
            row = list(row)
            for position, (functions, expression) in shape.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        rows.append(dict(zip(shape.names, row, strict=True)))
    return rows
