"""SQL built once per process (recovery_support/sql_once.py) gives what Django gives."""

from datetime import timedelta

from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule, HelpCall, Plan, Revision
from recovery_support.models import User
from recovery_support.sql_once import SqlOnce
from sharing import selectors
from sharing.models import Grant
from tests.factories import CounselorFactory, UserFactory


def _clients_with_figures(counselor, today):
    """Clients with every kind of figure the list reads, shared and not."""
    for n, shared in enumerate([True, False, True]):
        person = UserFactory(display_name=f"Client {n}")
        Grant.objects.create(
            member=person,
            grantee=counselor,
            role="counselor",
            show_missed=shared,
            alert_on_help=n != 2,
            last_reviewed_at=timezone.now() - timedelta(days=3) if n else None,
        )
        plan = Plan.objects.create(owner=person, status="active" if n else "draft")
        Revision.objects.create(plan=plan, author=person)
        CheckInSchedule.objects.create(owner=person, weekdays=[0, 2, 4] if n else [])
        HelpCall.objects.create(owner=person)
        CheckIn.objects.bulk_create(
            CheckIn(owner=person, day=today - timedelta(days=d), mood=3, craving=(n + d) % 11)
            for d in range(0, 30, n + 2)
        )
    UserFactory()  # sharing nothing with this counselor


def test_the_client_list_figures_are_django_s_own_on_every_day_of_the_week(db):
    counselor = CounselorFactory()
    today = timezone.localdate()
    _clients_with_figures(counselor, today)
    figures = SqlOnce(selectors._client_figures, **selectors._CLIENT_FIGURES.stand_ins)

    for day in [today - timedelta(days=n) for n in range(9)]:
        values = selectors.client_figure_values(counselor.pk, today=day)
        rows = figures.rows(**values)
        assert figures.shape not in (None, False), "built once, not by Django every time"
        assert rows == list(selectors._client_figures(**values))
        assert len(rows) == 3
        assert all(type(row["craving_now"]) is float for row in rows)


def test_a_builder_that_reads_its_values_goes_through_django_every_time(db):
    """A query whose SQL changes with the value (here, a stand-in from 1900 would read
    a different lookup) is never run from the stand-ins' SQL."""
    member = UserFactory()
    today = timezone.localdate()
    CheckIn.objects.create(owner=member, day=today, mood=3, craving=2)

    def build(*, day):
        lookup = "day__gte" if day.year > 2000 else "day__lt"
        return CheckIn.objects.filter(**{lookup: day}).values("day", "craving")

    checkins = SqlOnce(build, day=today.replace(year=1900))
    assert checkins.rows(day=today) == [{"day": today, "craving": 2}]
    assert checkins.shape is False
    assert checkins.rows(day=today + timedelta(days=1)) == []


def test_a_stand_in_the_query_does_not_hold_is_refused(db):
    member = UserFactory(display_name="Ann")

    def build(*, owner_id, unused):
        return User.objects.filter(pk=owner_id).values("pk", "display_name")

    people = SqlOnce(build, owner_id=7_340_271_900, unused=7_340_271_901)
    assert people.rows(owner_id=member.pk, unused=1) == [{"pk": member.pk, "display_name": "Ann"}]
    assert people.shape is False
