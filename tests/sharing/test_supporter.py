"""A supporter sees the shared goals (and the streak if allowed), sends encouragement,
and reaches nothing else of the member's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, Goal, Plan
from sharing.models import Encouragement, Grant
from tests.factories import SupportSourceFactory


@pytest.fixture
def plan(member):
    plan = Plan.objects.create(owner=member)
    Goal.objects.create(plan=plan, title="Walk every day", progress=40, visibility="supporters")
    Goal.objects.create(plan=plan, title="Pay off the debt", progress=10)
    SupportSourceFactory(owner=member, name="Aunt May", notes="lives nearby")
    today = timezone.localdate()
    for days in range(3):
        CheckIn.objects.create(
            owner=member, day=today - timedelta(days=days), mood=2, craving=8, note="Hard day"
        )
    return plan


def test_supporter_sees_only_shared_goals(supporter_client, member, plan):
    response = supporter_client.get(reverse("sharing:supporting", args=[member.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Walk every day" in html and "40%" in html
    assert 'aria-label="Progress on Walk every day"' in html, "the bar says whose progress"
    for hidden in ("Pay off the debt", "Aunt May", "lives nearby", "Hard day", "Cravings"):
        assert hidden not in html, hidden
    assert "day in a row" not in html and "days in a row" not in html, "streak off by default"


def test_the_streak_shows_only_when_the_member_allows_it(
    signed_in, supporter_client, member, plan, their_supporter
):
    grant = Grant.objects.get(grantee=their_supporter)
    response = signed_in.post(
        reverse("sharing:grant-settings", args=[grant.pk]), {"show_streak": "on"}
    )
    assert response.status_code == 302
    html = supporter_client.get(reverse("sharing:supporting", args=[member.pk])).content.decode()
    assert "3 <span>days in a row" in html


def test_the_streak_counts_the_members_days_wherever_the_supporter_is(
    supporter_client, member, their_supporter
):
    """A day apart: the member in Kiritimati, the supporter in Honolulu. The
    supporter's own date must not cut off the member's check-in of today."""
    member.time_zone = "Pacific/Kiritimati"
    member.save(update_fields=["time_zone"])
    their_supporter.time_zone = "Pacific/Honolulu"
    their_supporter.save(update_fields=["time_zone"])
    Grant.objects.filter(grantee=their_supporter).update(show_streak=True)
    today = member.local_today()
    for days in range(2):
        CheckIn.objects.create(
            owner=member,
            day=today - timedelta(days=days),
            mood=3,
            craving=2,
            time_zone=member.time_zone,
        )
    html = supporter_client.get(reverse("sharing:supporting", args=[member.pk])).content.decode()
    assert "2 <span>days in a row" in html


def test_the_day_count_shows_only_when_the_member_allows_it(
    signed_in, supporter_client, member, plan, their_supporter
):
    member.recovery_started_on = member.local_today() - timedelta(days=30)
    member.save(update_fields=["recovery_started_on"])
    page = reverse("sharing:supporting", args=[member.pk])
    assert "30 <span>days" not in supporter_client.get(page).content.decode(), "off by default"

    grant = Grant.objects.get(grantee=their_supporter)
    signed_in.post(
        reverse("sharing:grant-settings", args=[grant.pk]), {"show_plan": "on", "show_days": "on"}
    )

    html = supporter_client.get(page).content.decode()
    assert "30 <span>days</span>" in html
    assert "Today marks 30 days" in html
    assert "Walk every day" in html  # the goals, still shown


def test_encouragement_reaches_the_dashboard_unless_hidden(
    signed_in, supporter_client, member, plan, their_supporter
):
    response = supporter_client.post(
        reverse("sharing:encourage", args=[member.pk]),
        {"body": "So proud of you"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Sent." in response.content.decode()
    assert "So proud of you" in signed_in.get(reverse("dashboard")).content.decode()

    grant = Grant.objects.get(grantee=their_supporter)
    signed_in.post(reverse("sharing:grant-settings", args=[grant.pk]), {"hide_messages": "on"})
    assert "So proud of you" not in signed_in.get(reverse("dashboard")).content.decode()


def test_an_overlong_message_is_refused_and_kept(supporter_client, member, plan):
    text = "x" * 281
    response = supporter_client.post(reverse("sharing:encourage", args=[member.pk]), {"body": text})
    assert response.status_code == 422
    html = response.content.decode()
    assert "at most 280 characters" in html
    assert text in html
    assert not Encouragement.objects.exists()


def test_messages_leave_the_dashboard_when_access_ends(
    signed_in, supporter_client, member, plan, their_supporter
):
    supporter_client.post(reverse("sharing:encourage", args=[member.pk]), {"body": "Keep going"})
    assert "Keep going" in signed_in.get(reverse("dashboard")).content.decode()
    Grant.objects.filter(grantee=their_supporter).update(
        ends_on=member.local_today() - timedelta(days=1)
    )
    assert "Keep going" not in signed_in.get(reverse("dashboard")).content.decode()
