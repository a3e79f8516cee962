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
    today = timezone.localdate().weekday()
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


@pytest.mark.parametrize("size", [2, 30])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, member, size, django_assert_num_queries
):
    build_plan(member, size)
    client.force_login(member)
    # session, user, network, plan, plan sources, activities, goals, relapse count,
    # supporters' messages, the people who share with them, then, as it is drawn:
    # their counselors' reviews and comments not read yet.
    with django_assert_num_queries(12):
        response = client.get(reverse("dashboard"))
    summary = response.context["summary"]
    assert len(summary.today) + len(summary.this_week) == 2 * size


def test_times_read_as_people_in_the_us_read_them(client, member):
    """Found by testers: "Tuesday 19:00" for a member in Chicago."""
    build_plan(member, 1)
    client.force_login(member)
    body = client.get(reverse("dashboard")).content.decode()
    assert "day 7:00 PM: Meeting 0" in body and "19:00" not in body
