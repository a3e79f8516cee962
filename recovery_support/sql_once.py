"""A queryset's SQL built once per process, as fast_url does for URLs.

Django building a query's SQL (resolving each filter and expression, then compiling
it) costs more than PostgreSQL takes to answer most of ours: about half a millisecond
a simple query on a small machine, and half the client list's time for its one query
with a dozen correlated subqueries. It comes out the same at every request but for
its values (the member, today's date). `SqlOnce` builds the queryset once with a
stand-in for each value and notes where each stand-in lands among the query's
parameters; at the first call it checks that the real values give that same SQL,
with them where the stand-ins were. From then on it fills in the values and lets
Django read the rows as it always does (model instances, `.values()` dicts, related
objects, annotations, converters), from that SQL. Where the check fails, every call
goes through Django, as before. Either way, the same queries.

The builder must only pass its arguments into the query, never look at them (no
`if today.weekday()`): the SQL is built from stand-ins. tests/recovery_support/
test_sql_once.py holds the rows to Django's own.
"""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# The stand-in for an id: no row holds it (within bigint, so Django builds the query).
STAND_IN_ID = 7_340_271_900

# Zones no one is likely to be in (+12:45, -9:30); the stand-ins are built in
# whichever of them is not the one active.
_STAND_IN_ZONES = (ZoneInfo("Pacific/Chatham"), ZoneInfo("Pacific/Marquesas"))


@dataclass(frozen=True)
class _Slot:
    name: str  # the argument whose value goes here
    wrap: type | None = None  # as Django wrapped it for the driver (psycopg's Int2)


@dataclass(frozen=True)
class _Learnt:
    queryset: QuerySet  # built with the stand-ins; never run itself
    compiler: SQLCompiler  # its columns, and how Django reads them back
    sql: str
    params: tuple  # constants, and a _Slot where a value goes
    # How each column is read back (SQLCompiler.get_converters), worked out once for
    # each connection (a thread's): the same columns give the same converters. Weak
    # keys: a thread's connection goes with its thread (runserver's, a test's).
    converters: WeakKeyDictionary = field(default_factory=WeakKeyDictionary)

    def rows(self, values: dict) -> list:
        compiler = copy.copy(self.compiler)
        connection = compiler.connection = connections[self.queryset.db]  # this thread's
        sql, params = self.sql, _fill(self.params, values)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        if (converters := self.converters.get(connection)) is None:
            converters = self.converters[connection] = _converters_of(compiler)
        compiler.get_converters = lambda expressions: converters
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


class SqlOnce:
    """`rows(**values)` gives what `list(build(**values))` gives."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self.learnt: _Learnt | bool | None = None  # None: not yet; False: not for this

    def rows(self, **values: Any) -> list:
        if self.learnt is None:
            self.learnt = self._learn(values)
        if self.learnt is False:
            return list(self.build(**values))
        return self.learnt.rows(values)

    def _learn(self, values: dict) -> _Learnt | bool:
        # Built in a time zone of its own: a query that takes the active zone (a
        # __date lookup, Trunc) then differs from the real one, and is not learnt.
        active = timezone.get_current_timezone()
        with timezone.override(next(z for z in _STAND_IN_ZONES if z != active)):
            queryset = self.build(**self.stand_ins)
            compiler = queryset.query.get_compiler(queryset.db)
            sql, params = compiler.as_sql()
        slots = {(type(value), value): _Slot(name) for name, value in self.stand_ins.items()}
        params = tuple(_slot_for(param, slots) for param in params)
        found = {param.name for param in params if isinstance(param, _Slot)}
        real = self.build(**values)
        same = real.query.get_compiler(real.db).as_sql() == (sql, _fill(params, values))
        # A day the builder took for itself (timezone.localdate()) is the same in both
        # builds, and would be kept from this call on, however stale: days come as
        # named values only. (An instant from the clock differs between the two builds
        # by its microseconds, so `same` is false for it.)
        clock = any(_is_day(param) for param in params)
        if found != set(self.stand_ins) or clock or not same:
            return False
        return _Learnt(queryset, compiler, sql, params)


def _converters_of(compiler: SQLCompiler) -> dict:
    """What the compiler's results_iter asks get_converters for: the columns it
    selected when it was learnt."""
    columns = [column for column, *_ in compiler.select[: compiler.col_count]]
    return SQLCompiler.get_converters(compiler, columns)


def _is_day(param: Any) -> bool:
    return isinstance(param, (datetime.date, datetime.time)) and not isinstance(
        param, datetime.datetime
    )


def _slot_for(param: Any, slots: dict) -> Any:
    """A stand-in is found by its type as well as its value (True == 1), or as an int
    Django wrapped for the driver (a small integer field's Int2)."""
    try:
        slot = slots.get((type(param), param))
    except TypeError:  # a list among the parameters: never a stand-in
        return param
    if slot is None and isinstance(param, int) and type(param) not in (int, bool):
        found = slots.get((int, int(param)))
        slot = found and _Slot(found.name, wrap=type(param))
    return slot or param


def _fill(params: tuple, values: dict) -> tuple:
    return tuple(_value(p, values) if isinstance(p, _Slot) else p for p in params)


def _value(slot: _Slot, values: dict) -> Any:
    return values[slot.name] if slot.wrap is None else slot.wrap(values[slot.name])
