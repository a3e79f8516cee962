"""Sharing pages run a fixed number of queries whatever the amount of data."""

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Activity, CheckIn, Goal, HelpCall, Plan, RelapseItem
from sharing import services
from sharing.models import Grant
from tests.factories import SupportSourceFactory


def fill(member, counselor, supporter, size: int) -> None:
    today = timezone.localdate()
    plan = Plan.objects.create(owner=member, status="active", activated_at=timezone.now())
    sources = [SupportSourceFactory(owner=member) for _ in range(size)]
    for n in range(size):
        Activity.objects.create(plan=plan, title=f"A{n}", weekday=n % 7, time=time(19))
        RelapseItem.objects.create(
            plan=plan, kind="trigger", description=f"T{n}", coping="C", contact=sources[n]
        )
        Goal.objects.create(plan=plan, title=f"G{n}", visibility="supporters")
    CheckIn.objects.bulk_create(
        CheckIn(owner=member, day=today - timedelta(days=d), mood=3, craving=3)
        for d in range(size * 3)
    )
    counselor_grant = Grant.objects.get(grantee=counselor)
    supporter_grant = Grant.objects.get(grantee=supporter)
    Grant.objects.filter(pk=counselor_grant.pk).update(alert_on_help=True)
    for n in range(size):
        first = services.comment_add(grant=counselor_grant, plan=plan, step=1 + n % 4, body=f"C{n}")
        services.comment_reply(parent=first, author=member, body=f"R{n}")
        HelpCall.objects.create(owner=member)
        services.review_save(grant=counselor_grant, plan=plan, status="reviewed", note="")
        services.encouragement_send(grant=supporter_grant, body=f"E{n}")
        services.access_record(grant=counselor_grant, what="plan")
    # Not looked at this minute: the page's view stamps its grant (one write, counted).
    Grant.objects.update(last_viewed_at=None)


PAGES = {
    # session, user, two-factor check, grant, access record + last viewed, plan,
    # plan sources, relapse items (with contacts), activities, goals, comments, reviews,
    # revisions, the help calls they may know of, network, the finished weeks' averages
    # (the member keeps the days to themselves), meetings attended and relapse items
    # met, the session's last request (a savepoint, the update, its release)
    "client": ("counselor", "sharing:client", True, 22),
    # session, user, grant, access record + last viewed, the plan and what it shares
    # with supporters (relapse items, activities, goals), (no streak), sent messages,
    # requests for help, lessons read
    "supporting": ("supporter", "sharing:supporting", True, 12),
    # session, user, grants, invitations, the network (for who a supporter is in it)
    "sharing": ("member", "sharing:sharing", False, 5),
    # session, user, records
    "access-log": ("member", "sharing:access-log", False, 3),
    # session, user, the plan, its reviews, its threads, and what is unread of each
    # (with the plan's items the comments are about)
    "notes": ("member", "sharing:notes", False, 7),
    # session, user, the grants with the members' names
    "supporting-list": ("supporter", "sharing:supporting-list", False, 3),
    # session, user, the grant: "Stop supporting" asks before it ends
    "supporting-stop": ("supporter", "sharing:supporting-stop", True, 3),
    # the same, after the counselor's two-factor check and the session's last request
    "client-stop": ("counselor", "sharing:client-stop", True, 7),
    # session, user, the calendar settings
    "calendar": ("member", "sharing:calendar", False, 3),
}


@pytest.mark.parametrize("size", [1, 25])
@pytest.mark.parametrize("page", PAGES)
def test_each_sharing_page_runs_a_fixed_number_of_queries(
    page, size, member, their_counselor, their_supporter, django_assert_num_queries
):
    fill(member, their_counselor, their_supporter, size)
    who, name, by_member, queries = PAGES[page]
    person = {"counselor": their_counselor, "supporter": their_supporter, "member": member}[who]
    client = Client()
    client.force_login(person)
    url = reverse(name, args=[member.pk] if by_member else [])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", [1, 3])
def test_each_page_of_the_access_log_runs_the_same_queries(
    page, signed_in, member, their_counselor, django_assert_num_queries
):
    grant = Grant.objects.get(grantee=their_counselor)
    for _ in range(120):
        services.access_record(grant=grant, what="plan")
    # session, user, the page's records (and one more, to tell if an older page follows)
    with django_assert_num_queries(3):
        response = signed_in.get(reverse("sharing:access-log"), {"page": page})
    assert response.status_code == 200
    assert len(response.context["records"]) == (50 if page == 1 else 20)


@pytest.mark.parametrize("size", [1, 25])
def test_the_client_page_with_the_days_shared_runs_a_fixed_number_of_queries(
    size, member, their_counselor, their_supporter, django_assert_num_queries
):
    fill(member, their_counselor, their_supporter, size)
    Grant.objects.filter(grantee=their_counselor).update(show_missed=True)
    client = Client()
    client.force_login(their_counselor)
    # As the page above, with the check-ins, the schedule and contacts per week instead
    # of the weeks' averages.
    with django_assert_num_queries(24):
        assert client.get(reverse("sharing:client", args=[member.pk])).status_code == 200
