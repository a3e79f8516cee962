"""Rendered fragments of a page, cached in each web process's own memory.

A fragment is keyed on a digest of the rows it is drawn from (every column), worked
out by PostgreSQL in one query before anything else is read (`rows_version`), so any
change gives a new key and nothing is ever invalidated: old entries age out. The key
also holds the person and their browser's CSRF secret, because fragments carry forms.

The cache is the process's memory (`CACHES["fragments"]`), never Redis: rendered
health data stays in the process that rendered it and is gone when it restarts.
"""

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest


def version(*parts) -> str:
    """A digest of values a fragment also depends on, worked out in Python: model
    instances (all their loaded values), lists, tuples, dicts and plain values."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _feed(digest, value) -> None:
    if isinstance(value, Model):
        loaded = [v for k, v in vars(value).items() if k[0] != "_"]  # fields, annotations
        digest.update(f"<{value._meta.label}>{loaded!r}".encode())
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, dict):
        digest.update(b"{")
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
        digest.update(b"}")
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())


# --- Versions PostgreSQL works out from the rows -------------------------------------

_DIGEST_SQL: dict[str, tuple[str, list]] = {}
# Constants a digest's SQL may keep as compiled; any other value must be a parameter.
_CONSTANTS = (str, bool, type(None))


def rows_version(name: str, tables: Callable[..., list[QuerySet]], **params) -> str:
    """A digest of every row (every column) of `tables(**params)`, worked out by
    PostgreSQL in one query, so a page can tell whether its cached fragments still
    hold before it reads anything else.

    The SQL is compiled once per process, from the querysets made with a stand-in for
    each parameter (ints and dates); each stand-in's place is then filled with the
    parameter's value. So every int or date the querysets use must be one of
    `params`, not worked out from one: anything else is refused."""
    compiled = _DIGEST_SQL.get(name)
    if compiled is None:
        compiled = _DIGEST_SQL[name] = _compile(name, tables, params)
    sql, places = compiled
    values = [params[place] if kind == "param" else place for kind, place in places]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]


def _compile(name: str, tables, params: dict) -> tuple[str, list]:
    stand_ins = {}
    for n, (key, value) in enumerate(params.items()):
        if isinstance(value, int):
            stand_ins[key] = -7_000_001 - n
        elif isinstance(value, date) and not isinstance(value, datetime):
            stand_ins[key] = date(1871, 3, 18) + timedelta(days=n)
        else:
            raise ValueError(f"{name}: {key} must be an int or a date")
    by_value = {value: key for key, value in stand_ins.items()}
    parts, places = [], []
    for queryset in tables(**stand_ins):
        sql, query_params = queryset.order_by().query.sql_with_params()
        # The SQL is Django's own, compiled from querysets; values go as parameters.
        parts.append(
            f"COALESCE((SELECT string_agg(t::text, ',' ORDER BY t::text COLLATE \"C\") "  # noqa: S608
            f"FROM ({sql}) t), '')"
        )
        for value in query_params:
            if type(value) in (int, date) and value in by_value:
                places.append(("param", by_value[value]))
            elif isinstance(value, _CONSTANTS):
                places.append(("constant", value))
            else:
                raise ValueError(f"{name}: {value!r} is not one of the digest's parameters")
    return f"SELECT md5(concat_ws('|', {', '.join(parts)}))", places


def member_version(user) -> str:
    """Everything of the member's that their dashboard and plan pages draw: their
    name and time zone, their sources (with their last contact), plan, plan sources,
    activities, relapse items, goals, who shares with them and whom they share with
    (with names), and the encouragements they received."""
    return rows_version("member", _member_tables, owner_id=user.pk)


def _member_tables(owner_id: int) -> list[QuerySet]:
    from networks.models import SupportSource
    from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem
    from recovery_support.models import User
    from recovery_support.sharing.models import Encouragement, Grant

    grant_columns = ("id", "role", "ends_on", "revoked_at", "hide_messages", "show_streak")
    return [
        User.objects.filter(pk=owner_id).values("display_name", "email", "time_zone"),
        SupportSource.objects.filter(owner_id=owner_id).annotate(
            last_contact=Max("contacts__contacted_on")
        ),
        Plan.objects.filter(owner_id=owner_id),
        PlanSource.objects.filter(plan__owner_id=owner_id),
        Activity.objects.filter(plan__owner_id=owner_id),
        RelapseItem.objects.filter(plan__owner_id=owner_id),
        Goal.objects.filter(plan__owner_id=owner_id),
        Grant.objects.filter(member_id=owner_id).values(
            *grant_columns, "grantee__display_name", "grantee__email"
        ),
        Grant.objects.filter(grantee_id=owner_id).values(
            *grant_columns, "member_id", "member__display_name", "member__email"
        ),
        Encouragement.objects.filter(grant__member_id=owner_id),
    ]


@contextmanager
def snapshot():
    """One consistent view of the database for a version and the rows then drawn
    under it (REPEATABLE READ), so a fragment is never stored under the version of
    an older state. Inside a transaction already (tests), that transaction is it."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def key_for(request: HttpRequest | None, name: str, fragment_version: str) -> str | None:
    """The cache key, or None when this fragment must be rendered afresh: no version
    (a form with the person's input, say), nobody signed in, or a browser that did
    not send a CSRF cookie (its forms need the token minted for this response)."""
    if not fragment_version or request is None or not request.user.is_authenticated:
        return None
    if not request.COOKIES.get(settings.CSRF_COOKIE_NAME):
        return None
    secret = request.META.get("CSRF_COOKIE", "")
    person = hashlib.blake2b(f"{request.user.pk}:{secret}".encode(), digest_size=16)
    return f"fragment:{name}:{person.hexdigest()}:{fragment_version}"


def cache():
    return caches["fragments"]
