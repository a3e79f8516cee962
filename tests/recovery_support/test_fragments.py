"""Pages served from the fragment cache (recovery_support/fragments.py): a second view
reads almost nothing, and any change to what a page shows, made by whatever path,
shows at once. Forms in cached fragments keep working in each browser."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks.models import ContactLog, SupportSource
from plans.models import CheckIn, CheckInSchedule, Goal, Plan, PlanSource, Reminder
from recovery_support import fragments
from recovery_support.models import ChangeCount, User
from recovery_support.push.models import Notice
from sharing.models import AccessRecord, CounselorDigest, Grant
from tests.factories import SupportSourceFactory, UserFactory
from tests.sharing.test_my_data import OUR_APPS

pytestmark = pytest.mark.django_db


def active_plan(member) -> Plan:
    plan = Plan.objects.create(owner=member, status="active", first_day_after_slip="Call.")
    source = SupportSourceFactory(owner=member, name="Robin", contact_every_days=7)
    PlanSource.objects.create(plan=plan, source=source, outcome="agreed", can_give="Calls")
    Goal.objects.create(plan=plan, title="Walk every day", progress=40)
    return plan


@pytest.fixture
def signed_in(client, member):
    """Signed in, with the CSRF cookie a browser has from the sign-in page (without
    one, a page is always drawn afresh: its forms need the token minted for it)."""
    client.force_login(member)
    client.get(reverse("need_help"))
    return client


@pytest.mark.parametrize(
    ("url", "first", "again"),
    [
        # again: session, user, the member's version.
        (reverse("dashboard"), 13, 3),
        # again: session, user, the plan, its step-4 comments, the member's version.
        (reverse("plans:step", args=[4]), 11, 5),
    ],
)
def test_a_second_view_reads_only_the_version(
    signed_in, member, url, first, again, django_assert_num_queries
):
    active_plan(member)
    with django_assert_num_queries(first):
        first_body = signed_in.get(url).content.decode()
    with django_assert_num_queries(again):
        second_body = signed_in.get(url).content.decode()
    assert "Walk every day" in first_body and "Walk every day" in second_body


@pytest.mark.parametrize("url", [reverse("dashboard"), reverse("plans:step", args=[4])])
def test_a_change_made_any_way_shows_at_once(signed_in, member, url):
    plan = active_plan(member)
    assert "Walk every day" in signed_in.get(url).content.decode()
    # Not through the app's services: the version is read from the rows themselves.
    Goal.objects.filter(plan=plan).update(title="Swim on Sundays")
    body = signed_in.get(url).content.decode()
    assert "Swim on Sundays" in body and "Walk every day" not in body


def test_a_contact_logged_changes_the_dashboard_and_network(signed_in, member):
    active_plan(member)
    robin = SupportSource.objects.get(owner=member, name="Robin")
    SupportSource.objects.filter(pk=robin.pk).update(created_at=timezone.now() - timedelta(days=9))
    assert "Be in touch with Robin" in signed_in.get(reverse("dashboard")).content.decode()
    assert "In touch today" not in signed_in.get(reverse("networks:network")).content.decode()
    ContactLog.objects.create(source=robin, contacted_on=timezone.localdate())
    today = signed_in.get(reverse("dashboard")).content.decode().split('id="today-heading"')[1]
    assert "Be in touch with Robin" not in today.split("Later this week")[0]
    assert "In touch today" in signed_in.get(reverse("networks:network")).content.decode()


def test_each_browser_gets_forms_it_can_send(member):
    active_plan(member)
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(member)
        browser.get(reverse("need_help"))  # the browser's CSRF cookie
        browser.get(reverse("plans:step", args=[4]))  # drawn and cached for this browser
    for n, browser in enumerate(browsers):
        body = browser.get(reverse("plans:step", args=[4])).content.decode()
        form = body.split(f'action="{reverse("plans:item-create", args=["goals"])}"')[1]
        token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = browser.post(
            reverse("plans:item-create", args=["goals"]),
            {"csrfmiddlewaretoken": token, "title": f"Goal from browser {n}", "progress": "0"},
        )
        assert response.status_code == 302, body
    assert Goal.objects.filter(title__startswith="Goal from browser").count() == 2


def test_nobody_is_served_another_persons_fragment(member):
    twin = UserFactory(display_name=member.display_name, time_zone=member.time_zone)
    active_plan(member)
    plan = active_plan(twin)
    Goal.objects.filter(plan=plan).update(title="Twin goal")
    for person, own, other in [
        (member, "Walk every day", "Twin goal"),
        (twin, "Twin goal", "Walk every day"),
    ]:
        browser = Client()
        browser.force_login(person)
        browser.get(reverse("need_help"))
        for url in [reverse("dashboard"), reverse("plans:step", args=[4])]:
            browser.get(url)
            body = browser.get(url).content.decode()
            assert own in body and other not in body


def test_the_counselors_list_follows_new_check_ins(member, their_counselor):
    Plan.objects.create(owner=member, status="active")
    Grant.objects.filter(member=member).update(show_missed=True)  # this week's figures
    browser = Client()
    browser.force_login(their_counselor)
    browser.get(reverse("need_help"))
    assert "no check-ins this week" in browser.get(reverse("sharing:clients")).content.decode()
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=6)
    body = browser.get(reverse("sharing:clients")).content.decode()
    assert "about 6 of 10 this week" in body


def test_the_counselors_list_follows_changed_check_ins_and_ended_access(member, their_counselor):
    Plan.objects.create(owner=member, status="active")
    Grant.objects.filter(member=member).update(show_missed=True)  # this week's figures
    checkin = CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=2)
    browser = Client()
    browser.force_login(their_counselor)
    browser.get(reverse("need_help"))
    assert "about 2 of 10 this week" in browser.get(reverse("sharing:clients")).content.decode()
    CheckIn.objects.filter(pk=checkin.pk).update(craving=9)
    assert "about 9 of 10 this week" in browser.get(reverse("sharing:clients")).content.decode()
    Grant.objects.filter(member=member).update(revoked_at=timezone.now())
    recorded = AccessRecord.objects.filter(member=member).count()
    body = browser.get(reverse("sharing:clients")).content.decode()
    assert str(member) not in body and "Nobody shares with you yet" in body
    assert AccessRecord.objects.filter(member=member).count() == recorded  # not shown


NOT_COUNTED = {
    Reminder,  # written by the reminder sweep; no page shows it
    Notice,  # written by the sweeps and the tasks that send; no page shows it
    CounselorDigest,  # written by the digest sweep; no page shows it
    AccessRecord,  # written by every view of someone else's data
    ChangeCount,  # the counts themselves
    User.groups.through,  # permissions, for the admin; no page shows them
    User.user_permissions.through,
}


def test_every_table_of_ours_counts_its_changes():
    ours = {m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in OUR_APPS}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, array_agg(tgname::text ORDER BY tgname) "
            "FROM pg_trigger WHERE tgname LIKE 'count_changes_%%' GROUP BY tgrelid"
        )
        triggers = dict(cursor.fetchall())
    events = ["count_changes_delete", "count_changes_insert", "count_changes_update"]
    for model in ours - NOT_COUNTED:
        assert triggers.get(model._meta.db_table) == events, model.__name__
    assert not {m._meta.db_table for m in NOT_COUNTED} & set(triggers)


def changes(person) -> int:
    return (
        ChangeCount.objects.filter(user_id=person.pk).values_list("changes", flat=True).first() or 0
    )


def test_every_statement_that_changes_a_persons_rows_counts_once(member, their_counselor):
    other = UserFactory()
    grant, today = Grant.objects.get(member=member), timezone.localdate()
    source = member.support_sources.get
    renamed = "UPDATE networks_supportsource SET name = 'Kim' WHERE owner_id = %s"
    steps = [
        (lambda: SupportSourceFactory(owner=member), 1),
        (  # one statement, three rows
            lambda: CheckIn.objects.bulk_create(
                CheckIn(owner=member, day=today - timedelta(days=n), mood=3, craving=2)
                for n in range(3)
            ),
            1,
        ),
        (lambda: CheckIn.objects.filter(owner=member).update(mood=3), 0),  # nothing differs
        (lambda: Grant.objects.filter(pk=grant.pk).update(last_viewed_at=timezone.now()), 0),
        (lambda: CheckInSchedule.objects.create(owner=member), 1),
        (lambda: CheckInSchedule.objects.update(next_due_at=timezone.now()), 0),  # the sweep
        (lambda: Grant.objects.filter(pk=grant.pk).update(show_streak=not grant.show_streak), 1),
        (lambda: ContactLog.objects.create(source=source(), contacted_on=today), 1),
        (lambda: CheckIn.objects.filter(owner=member)[0].supports_contacted.add(source()), 1),
        # Django deletes the check-ins' links to sources first: two statements.
        (lambda: CheckIn.objects.filter(owner=member).delete(), 2),
        (lambda: _raw(renamed, member), 1),  # not through Django at all
    ]
    for change, counted in steps:
        before, others_before = changes(member), changes(other)
        change()
        assert changes(member) == before + counted
        assert changes(other) == others_before


def _raw(sql, person):
    with connection.cursor() as cursor:
        cursor.execute(sql, [person.pk])


def test_a_version_follows_everyone_a_grant_connects(member, their_counselor):
    counselors_version = fragments.changes_version(their_counselor)
    members_version = fragments.changes_version(member)
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=2)
    assert fragments.changes_version(their_counselor) != counselors_version
    their_counselor.display_name = "Dr. Kim"
    their_counselor.save()
    assert fragments.changes_version(member) != members_version


def test_the_cached_site_header_marks_the_page_you_are_on(signed_in, member):
    pages = [("dashboard", "Dashboard"), ("networks:network", "Network")] * 2
    for name, current in [*pages, ("sharing:sharing", "Sharing")]:
        body = signed_in.get(reverse(name)).content.decode()
        nav = body.split('aria-label="Main"')[1].split("</nav>")[0]
        assert nav.count('aria-current="page"') == 1
        assert f'aria-current="page">{current}</a>' in nav
        assert "Clients" not in nav
    # The help page is open to a counselor before two-factor: drawn, then cached.
    for _ in range(2):
        nav = signed_in.get(reverse("need_help")).content.decode().split("</nav>")[0]
        assert ">Clients</a>" not in nav
    member.is_professional = True
    member.save()
    nav = signed_in.get(reverse("need_help")).content.decode().split("</nav>")[0]
    assert ">Clients</a>" in nav
