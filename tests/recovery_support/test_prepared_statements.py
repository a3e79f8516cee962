"""A page asked for again is not parsed and planned again by PostgreSQL: its queries are
prepared on the connection (settings.DATABASES: server-side binding)."""

from django.db import connection
from django.urls import reverse

# What every page of a member reads: the session, the user, and for the dashboard
# their network.
TABLES = ["django_session", "recovery_support_user", "networks_supportsource"]


def _prepared(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_page_seen_again_runs_prepared_queries(signed_in):
    assert signed_in.get(reverse("dashboard")).status_code == 200
    assert not any(_prepared(table) for table in TABLES)

    for _ in range(5):  # psycopg prepares a query the sixth time it is asked
        assert signed_in.get(reverse("dashboard")).status_code == 200

    # Prepared on this connection, their values bound as parameters ($1 …), not
    # written into the text.
    for table in TABLES:
        assert [s for s in _prepared(table) if "$1" in s], table


def test_every_connection_costs_an_index_read_as_for_memory(db):
    """settings.DATABASES: random_page_cost 1.1, on every connection the app opens."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
