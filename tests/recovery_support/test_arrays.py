"""`__any_of` finds the rows `__in` finds, in one statement of one shape; an array's
text reads back as the list it was written from."""

from datetime import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Activity, CheckIn, Plan
from recovery_support.models import User
from tests.factories import UserFactory


def _rows(queryset) -> list:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def test_the_same_rows_as_in_by_id_by_foreign_key_and_across_a_join(db):
    people = [UserFactory() for _ in range(4)]
    for person in people:
        CheckIn.objects.create(owner=person, day=person.local_today(), mood=3, craving=2)
        plan = Plan.objects.create(owner=person)
        Activity.objects.create(plan=plan, title="Group", weekday=1, time=time(19, 0))
    for chosen in ([], [people[0].pk], [p.pk for p in people[1:3]], [10**12]):
        for model, path in [(User, "pk"), (CheckIn, "owner_id"), (Activity, "plan__owner_id")]:
            expected = _rows(model.objects.filter(**{f"{path}__in": chosen}))
            assert _rows(model.objects.filter(**{f"{path}__any_of": chosen})) == expected
            assert _rows(model.objects.filter(**{f"{path}__any_of": set(chosen)})) == expected


def test_one_statement_whatever_the_number_of_ids(db):
    statements = []
    for count in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            list(User.objects.filter(pk__any_of=range(1, count + 1)).values_list("pk"))
        statements.append(queries.captured_queries[0]["sql"].split(" WHERE ")[1].split("=")[0])
    assert statements[0] == statements[1] == '"recovery_support_user"."id" '


def test_an_array_written_as_text_reads_back_as_the_list_psycopg_would_send(db):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from recovery_support.arrays import literal

    moments = [
        datetime(2026, 3, 8, 2, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 1, 30, 0, 123456, tzinfo=ZoneInfo("America/New_York")),
        datetime(2026, 12, 2, 23, 59, 59, tzinfo=ZoneInfo("Pacific/Chatham")),
        None,
    ]
    columns = [
        ("bigint", [1, 7_340_271_900, 9_223_372_036_854_775_807]),
        ("timestamptz", moments),
        ("text", ["pending", "skipped", None, "checked_in"]),
        ("bigint", []),
    ]
    with connection.cursor() as cursor:
        for kind, values in columns:
            cursor.execute(f"SELECT %s::{kind}[], %s::{kind}[]", [literal(values), values])
            ours, psycopgs = cursor.fetchone()
            assert ours == psycopgs, kind
