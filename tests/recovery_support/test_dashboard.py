from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import SupportSource
from plans.models import Activity, Goal, Plan, PlanSource
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db


def build_plan(member, size: int) -> Plan:
    plan = Plan.objects.create(owner=member, status="active")
    today = member.local_today().weekday()
    for index in range(size):
        source = SupportSourceFactory(owner=member, name=f"Person {index}", contact_every_days=7)
        PlanSource.objects.create(plan=plan, source=source, outcome="agreed", can_give="Calls")
        Activity.objects.create(
            plan=plan, title=f"Meeting {index}", weekday=(today + index) % 7, time=time(19, 0)
        )
        Goal.objects.create(plan=plan, title=f"Goal {index}", progress=index % 100)
    # Added ten days ago and never contacted since: the weekly contacts are due.
    SupportSource.objects.filter(owner=member).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    return plan


def test_a_new_member_is_invited_to_start(client, member):
    client.force_login(member)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Start your plan" in body and "Add the first one" in body


def test_it_shows_the_next_step_todays_commitments_and_goals(client, member):
    build_plan(member, 2)
    Plan.objects.filter(owner=member).update(status="draft")
    client.force_login(member)
    body = client.get(reverse("dashboard")).content.decode()
    # Sources agreed and expectations set, but no relapse prevention yet: step 4 is next.
    assert "Next: <strong>step 4</strong>" in body
    today_section = body.split('id="today-heading"')[1].split("Later this week")[0]
    assert "Meeting 0" in today_section and "Meeting 1" not in today_section
    assert "Be in touch with Person 0 (every week)" in today_section
    assert 'aria-label="Progress on Goal 1"' in body


def test_the_plan_card_counts_each_members_own_relapse_items(client, member):
    """The plan and its relapse items' count are read together: with none, the card
    still asks for one; with one of theirs, it no longer does, whoever else has some."""
    from plans import selectors as plan_selectors
    from plans.models import RelapseItem
    from tests.factories import UserFactory

    other = UserFactory()
    other_plan = build_plan(other, 1)
    RelapseItem.objects.create(plan=other_plan, kind="trigger", description="Payday", coping="-")
    plan = build_plan(member, 1)
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    client.force_login(member)
    wanted = "A warning sign, trigger or craving, and what you will do"
    assert wanted in client.get(reverse("dashboard")).content.decode()
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="-")
    body = client.get(reverse("dashboard")).content.decode()
    assert wanted not in body
    assert "What you will do in the first 24 hours after a slip" in body  # still step 4
    learnt = plan_selectors._PLAN_AND_RELAPSE_COUNT.learnt
    assert learnt not in (None, False), "its SQL built once, not by Django every time"


@pytest.mark.parametrize("size", [2, 30])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, member, size, django_assert_num_queries
):
    build_plan(member, size)
    client.force_login(member)
    # session, user, network, plan (with how many relapse items it has), plan sources
    # (their people are the network's), activities, goals, the live grants either way
    # (no supporter of theirs, so no messages to read), then, as it is drawn: their
    # counselors' reviews and comments not read yet.
    with django_assert_num_queries(10):
        response = client.get(reverse("dashboard"))
    summary = response.context["summary"]
    assert len(summary.today) + len(summary.this_week) == 2 * size


def test_times_read_as_people_in_the_us_read_them(client, member):
    """Found by testers: "Tuesday 19:00" for a member in Chicago."""
    build_plan(member, 1)
    client.force_login(member)
    body = client.get(reverse("dashboard")).content.decode()
    assert "day 7:00 PM: Meeting 0" in body and "19:00" not in body


@pytest.mark.parametrize("size", [2, 30])
def test_messages_and_the_people_who_share_add_one_query_whatever_their_number(
    client, member, size, django_assert_num_queries
):
    """Supporters' messages are read only where a live grant can bring them: then one
    query more, however many supporters write and however many people share back."""
    from sharing.models import Encouragement, Grant
    from tests.factories import UserFactory

    build_plan(member, 2)
    for index in range(size):
        supporter = UserFactory(display_name=f"Supporter {index}")
        grant = Grant.objects.create(member=member, grantee=supporter, role="supporter")
        Encouragement.objects.create(grant=grant, body=f"Proud of you {index}")
        sharer = UserFactory(display_name=f"Sharer {index}")
        Grant.objects.create(member=sharer, grantee=member, role="supporter")
    hidden = Grant.objects.create(
        member=member, grantee=UserFactory(display_name="Quiet"), role="supporter"
    )
    hidden.hide_messages = True
    hidden.save()
    Encouragement.objects.create(grant=hidden, body="Not shown")
    client.force_login(member)
    with django_assert_num_queries(11):
        response = client.get(reverse("dashboard"))
    body = response.content.decode()
    assert f"Proud of you {size - 1}" in body and "Not shown" not in body
    assert len(response.context["encouragements"]) == min(size, 5)
    assert len(response.context["grants_held"]) == size
    assert "Sharer 0</a> (you support them)" in body
    assert f"Supporter {size - 1}, " in body  # who wrote it, beside the date


def test_without_a_plan_no_notes_are_read(client, member, django_assert_num_queries):
    """Counselors' notes are written on a plan: a member without one has none to read."""
    client.force_login(member)
    # session, user, network, plan, the live grants either way.
    with django_assert_num_queries(5):
        body = client.get(reverse("dashboard")).content.decode()
    assert "Start your plan" in body and "New from your counselor" not in body
