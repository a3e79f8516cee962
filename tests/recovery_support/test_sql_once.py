"""SQL built once per process (recovery_support/sql_once.py) gives what Django gives."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule, Goal, HelpCall, Plan, Revision
from recovery_support.models import User
from recovery_support.sql_once import STAND_IN_ID, SqlOnce
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
        assert figures.learnt not in (None, False), "built once, not by Django every time"
        assert rows == list(selectors._client_figures(**values))
        assert len(rows) == 3
        assert all(type(row["craving_now"]) is float for row in rows)
    # Read back through converters worked out once, for this connection.
    assert list(figures.learnt.converters) == [connection]


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
    assert checkins.learnt is False
    assert checkins.rows(day=today + timedelta(days=1)) == []


def test_a_stand_in_the_query_does_not_hold_is_refused(db):
    member = UserFactory(display_name="Ann")

    def build(*, owner_id, unused):
        return User.objects.filter(pk=owner_id).values("pk", "display_name")

    people = SqlOnce(build, owner_id=7_340_271_900, unused=7_340_271_901)
    assert people.rows(owner_id=member.pk, unused=1) == [{"pk": member.pk, "display_name": "Ann"}]
    assert people.learnt is False


def _fields(rows, *names):
    return [tuple(getattr(row, name) for name in names) for row in rows]


def test_model_rows_are_django_s_own_and_each_person_reads_only_their_own(
    db, django_assert_num_queries
):
    """Learnt on the first member's network, the SQL then reads the second member's:
    the same rows, annotations and related objects Django gives, and none of the
    first member's."""
    from networks import selectors as network_selectors
    from networks.models import ContactLog
    from plans import selectors as plan_selectors
    from plans.models import PlanSource
    from tests.factories import SupportSourceFactory

    today = timezone.localdate()
    people = []
    for n, name in enumerate(["Ana", "Ben"]):
        member = UserFactory(display_name=name)
        plan = Plan.objects.create(owner=member)
        for m in range(n + 2):
            source = SupportSourceFactory(owner=member, name=f"{name}'s friend {m}")
            ContactLog.objects.create(source=source, contacted_on=today - timedelta(days=m))
            PlanSource.objects.create(plan=plan, source=source, outcome="agreed")
        people.append((member, plan))
    fresh = SqlOnce(network_selectors._NETWORK.build, **network_selectors._NETWORK.stand_ins)
    since = timezone.now() - timedelta(hours=1)
    for member, plan in people:
        rows = fresh.rows(owner_id=member.pk, since=since)
        assert fresh.learnt not in (None, False), "built once, not by Django every time"
        django_s = list(network_selectors._NETWORK.build(owner_id=member.pk, since=since))
        names = ("pk", "owner_id", "name", "last_contact", "deleted_at", "support_types")
        assert _fields(rows, *names) == _fields(django_s, *names)
        assert {row.owner_id for row in rows} == {member.pk}
        assert all(type(row.last_contact) is type(today) for row in rows)

        with django_assert_num_queries(1):
            read = [(ps.source.name, ps.plan is plan) for ps in plan_selectors.plan_sources(plan)]
        django_s = plan.plan_sources.select_related("source").order_by("source__name")
        assert read == [(ps.source.name, True) for ps in django_s]


def test_a_day_the_builder_takes_for_itself_is_never_kept(db):
    """Today's date read inside the builder would be the same for both builds of the
    first call, and stale the next day: such a query always goes through Django."""
    member = UserFactory()
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=2)

    def build(*, owner_id):
        return CheckIn.objects.filter(owner_id=owner_id, day__lte=timezone.localdate())

    checkins = SqlOnce(build, owner_id=7_340_271_900)
    assert [c.owner_id for c in checkins.rows(owner_id=member.pk)] == [member.pk]
    assert checkins.learnt is False


def test_a_query_that_takes_the_active_time_zone_is_never_kept(db):
    """A day of an instant reads the zone of whoever asked first: the same in both
    builds of the first call, wrong for the next person. Such a query is not learnt."""
    from zoneinfo import ZoneInfo

    member = UserFactory()
    made = timezone.now()
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=2)

    def build(*, owner_id, day):
        return CheckIn.objects.filter(owner_id=owner_id, created_at__date=day)

    checkins = SqlOnce(build, owner_id=7_340_271_900, day=timezone.localdate().replace(year=1900))
    for zone in ("America/New_York", "Asia/Tokyo"):
        with timezone.override(ZoneInfo(zone)):
            day = timezone.localdate(made)
            assert [c.owner_id for c in checkins.rows(owner_id=member.pk, day=day)] == [member.pk]
    assert checkins.learnt is False


def test_each_member_reads_only_their_own_unread_notes(db):
    """The plan's badge and the dashboard's card, learnt on one member's notes, then
    read for another's: Django's rows, and none of the first member's."""
    from plans import selectors as plan_selectors
    from sharing import notes
    from sharing.models import Comment, Review

    counselor = CounselorFactory()
    for n, name in enumerate(["Ana", "Ben"]):
        plan = Plan.objects.create(owner=UserFactory(display_name=name))
        for m in range(n + 1):
            Review.objects.create(plan=plan, counselor=counselor, status="changes", note=name)
            first = Comment.objects.create(
                plan=plan, author=counselor, author_name="Dr. R", step=m + 1, body="Hm?"
            )
        Comment.objects.create(
            plan=plan,
            parent=first,
            author=plan.owner,
            author_name=name,
            by_member=True,
            step=first.step,
            body="Yes",
        )
        Review.objects.create(
            plan=plan, counselor=counselor, status="reviewed", read_at=timezone.now()
        )

        unread = notes.Unread(plan.owner)
        assert unread.count == 2 * (n + 1)
        assert [c.pk for c in plan_selectors.step_comments(plan, 1)] == [
            c.pk for c in plan.comments.threaded(step=1)
        ]
        assert [r.note for r in unread.reviews] == [name] * (n + 1)
        assert [(c.plan_id, c.step) for c in unread.comments] == [
            (plan.pk, m + 1) for m in reversed(range(n + 1))
        ]
    learnt = [notes._UNREAD_REVIEWS, notes._UNREAD_COMMENTS, notes._UNREAD_IDS]
    for query in [*learnt, plan_selectors._STEP_COMMENTS]:
        assert query.learnt not in (None, False), "built once, not by Django every time"


def test_a_clients_page_reads_are_learnt_and_django_s_own(db):
    """The grant, the changes since the last review, the comments and the plan's
    entries (a goal for each choice of who sees it, read as a counselor and as a
    supporter), each read for two clients: built once, the rows Django gives, and
    each client's own only."""
    from sharing import notes
    from sharing.models import Comment

    counselor = CounselorFactory()
    since = timezone.now() - timedelta(days=3)
    clients = []
    for name in ("Ana", "Ben"):
        member = UserFactory(display_name=name)
        grant = Grant.objects.create(member=member, grantee=counselor, role="counselor")
        plan = Plan.objects.create(owner=member, status="active")
        for _ in range(2):
            Revision.objects.create(plan=plan, author=member)
        Comment.objects.create(plan=plan, author=counselor, author_name="Dr. O", body="Hi", step=4)
        for visibility in ("only_me", "counselor", "supporters"):
            Goal.objects.create(plan=plan, title=f"{name} {visibility}", visibility=visibility)
        clients.append((member, grant, plan))
    for role, seen in (("counselor", {"counselor", "supporters"}), ("supporter", {"supporters"})):
        fresh = SqlOnce(selectors._ENTRIES[role]["goals"].build, plan_id=STAND_IN_ID)
        for _, _, plan in clients:
            rows = fresh.rows(plan_id=plan.pk)
            assert fresh.learnt not in (None, False)
            assert {(g.plan_id, g.visibility) for g in rows} == {(plan.pk, v) for v in seen}
            assert [g.pk for g in rows] == [g.pk for g in plan.goals.visible_to(role)]
    reads = [
        (
            selectors._GRANT,
            lambda m, g, p: {"grantee_id": counselor.pk, "member_id": m.pk, "role": "counselor"},
            {"member_id"},
        ),
        (
            selectors._REVISIONS_SINCE,
            lambda m, g, p: {"plan_id": p.pk, "since": since},
            {"plan_id"},
        ),
        (notes._THREADED, lambda m, g, p: {"plan_id": p.pk}, {"plan_id"}),
    ]
    for once, values_of, owned_by in reads:
        fresh = SqlOnce(once.build, **once.stand_ins)
        for member, grant, plan in clients:
            values = values_of(member, grant, plan)
            rows = fresh.rows(**values)
            assert fresh.learnt not in (None, False), "built once, not by Django every time"
            assert [r.pk for r in rows] == [r.pk for r in once.build(**values)]
            assert rows, "each read finds the client's own"
            owner = {"member_id": member.pk, "plan_id": plan.pk}
            for name in owned_by:
                assert {getattr(r, name) for r in rows} == {owner[name]}


def test_a_clients_check_in_figures_and_help_calls_are_learnt_and_django_s_own(db):
    """The help calls a counselor may know of (hearing of calls for help or not), the
    meetings and relapse items met, and the finished weeks' averages, each read for two
    clients: built once, the rows Django gives, and each client's own only."""
    from plans.models import RelapseItem

    counselor = CounselorFactory()
    today = timezone.localdate()
    start, end = today - timedelta(days=34), today
    since = timezone.now() - timedelta(days=14)
    for n, name in enumerate(["Ana", "Ben"]):
        member = UserFactory(display_name=name)
        plan = Plan.objects.create(owner=member, status="active")
        shown, kept = (
            RelapseItem.objects.create(
                plan=plan, kind="trigger", description=f"{name} {v}", coping="-", visibility=v
            )
            for v in ("counselor", "only_me")
        )
        for d in range(0, 35, n + 1):
            checkin = CheckIn.objects.create(
                owner=member,
                day=today - timedelta(days=d),
                mood=1 + d % 5,
                craving=d % 11,
                meeting_attended=d % 3 == 0,
            )
            checkin.triggers.set([shown, kept] if d % 2 else [shown])
        HelpCall.objects.create(owner=member, kind="help")
        slip = HelpCall.objects.create(owner=member, kind="slip")
        if n:
            slip.tell.set([counselor])

        reads = [
            (selectors._MEETINGS, {"owner_id": member.pk, "start": start, "end": end}),
            (selectors._TRIGGERS_MET, {"owner_id": member.pk, "start": start, "end": end}),
            (selectors._WEEK_AVERAGES, {"owner_id": member.pk, "start": start, "end": end}),
            *(
                (
                    selectors._HELP_CALLS_KNOWN[help_too],
                    {"member_id": member.pk, "grantee_id": counselor.pk, "since": since},
                )
                for help_too in (True, False)
            ),
        ]
        found = []
        for once, values in reads:
            fresh = SqlOnce(once.build, **once.stand_ins)
            rows = fresh.rows(**values)
            assert fresh.learnt not in (None, False), "built once, not by Django every time"
            django_s = list(once.build(**values))
            if rows and not isinstance(rows[0], (tuple, dict, int)):
                rows, django_s = [r.pk for r in rows], [r.pk for r in django_s]
            assert rows == django_s
            found.append(rows)
        meetings, met, weeks, with_help, slips_only = found
        assert meetings == [sum(1 for d in range(0, 35, n + 1) if d % 3 == 0)]
        assert [description for description, _ in met] == [f"{name} counselor"]
        assert len(weeks) >= 5
        calls = HelpCall.objects.filter(owner=member).order_by("-created_at")
        assert with_help == [c.pk for c in calls if c.kind == "help" or n]
        assert len(slips_only) == n
