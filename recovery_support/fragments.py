"""Rendered fragments of a page, cached in each web process's own memory.

A fragment is keyed on the change counts PostgreSQL keeps for the people whose rows it
shows, read in one query before anything else (`changes_version`), so any change gives
a new key and nothing is ever invalidated: old entries age out. The key also holds
the person and their browser's CSRF secret, because fragments carry forms.

The cache is the process's memory (`CACHES["fragments"]`), never Redis: rendered
health data stays in the process that rendered it and is gone when it restarts.
"""

import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Model, Q
from django.http import HttpRequest
from django.utils import timezone


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


# --- Versions from PostgreSQL's change counts ----------------------------------------

_CHANGES_SQL = """
SELECT md5(string_agg(people.id || ':' || COALESCE(counted.changes, 0), ',' ORDER BY people.id)),
    (SELECT count(*) FROM ({ended}) ended)
FROM (
    SELECT %s::bigint AS id
    UNION SELECT member_id FROM sharing_grant WHERE grantee_id = %s
    UNION SELECT grantee_id FROM sharing_grant WHERE member_id = %s
) people
LEFT JOIN recovery_support_changecount counted ON counted.user_id = people.id
"""


def _ended_grants(person_id: int) -> tuple[str, tuple]:
    """The person's grants, either way, that are no longer live: an end date passes
    at the member's midnight, and writes no row that a count would see."""
    from sharing.models import Grant, active_grant

    grants = Grant.objects.filter(Q(member_id=person_id) | Q(grantee_id=person_id))
    return grants.exclude(active_grant()).values("pk").query.sql_with_params()


def changes_version(user) -> str:
    """How many changes PostgreSQL has counted for the person and for everyone a
    grant connects them with, either way and whatever its state: everything the
    person's pages can show belongs to one of them (their names, networks, plans,
    check-ins, grants, encouragements). Any insert, update or delete of such a row,
    by any path, counts (the triggers of migration recovery_support.0002), so a new
    version means a fragment must be drawn again. One small query on indexed columns.

    Today's date where the person is goes with it: pages count days from it. So does
    how many of their grants have ended, which changes at the member's midnight (the
    client list drops a client whose access ended though no row changed).

    The counts only rise, so a version is never seen again once anything changed:
    read before the rows a page draws, it may key a fragment a little newer than
    itself, never an older one. (The client list, which also writes, draws in one
    snapshot: `snapshot`.)"""
    ended, ended_params = _ended_grants(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(_CHANGES_SQL.format(ended=ended), [*ended_params, *[user.pk] * 3])
        changes, ended_count = cursor.fetchone()
        return f"{changes}:{ended_count}:{timezone.localdate()}"


@contextmanager
def snapshot():
    """One consistent view of the database (REPEATABLE READ) for a page that writes
    what it draws: the client list records exactly the clients its fragment shows.
    Inside a transaction already (tests), that transaction is it."""
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
