""" "See what they see": the member's preview of the page each person with access gets,
drawn by the same code from that person's grant, recording nothing and sending
nothing; only the member reaches it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem
from sharing import services
from sharing.models import AccessRecord, Grant
from tests.factories import SupportSourceFactory
from tests.sharing.test_sharing_queries import fill

MAIN = re.compile(r'<main id="main" tabindex="-1">(.*)</main>', re.S)
PREVIEW = re.compile(r'<div class="preview"[^>]*>(.*)</div>\s*</main>', re.S)


def same_page(html: str) -> str:
    """What must match between the two: tokens minted per response and the controls
    the preview disables aside."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"\s+", " ", html.replace(" disabled", "")).strip()


def main_of(response) -> str:
    assert response.status_code == 200
    return same_page(MAIN.search(response.content.decode()).group(1))


def preview_of(response) -> str:
    assert response.status_code == 200
    return same_page(PREVIEW.search(response.content.decode()).group(1))


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(member, their_supporter):
    """Something of each choice, and a supporter shown what the plan asks of them."""
    plan = Plan.objects.create(owner=member, first_day_after_slip="Call Robin")
    robin = SupportSourceFactory(owner=member, name="Robin", email=their_supporter.email)
    PlanSource.objects.create(
        plan=plan, source=robin, outcome="agreed", ask_support=["emotional"], my_boundaries="No"
    )
    Grant.objects.filter(grantee=their_supporter).update(source=robin, share_agreement=True)
    for choice in ("only_me", "counselor", "supporters"):
        Goal.objects.create(plan=plan, title=f"Goal for {choice}", visibility=choice)
        Activity.objects.create(
            plan=plan, title=f"Group for {choice}", weekday=1, time="19:00", visibility=choice
        )
        RelapseItem.objects.create(
            plan=plan, kind="trigger", description=f"Sign for {choice}", coping="Walk"
        )
    services.encouragement_send(grant=Grant.objects.get(grantee=their_supporter), body="Go on!")
    return plan


def preview_url(grantee) -> str:
    return reverse("sharing:grant-preview", args=[Grant.objects.get(grantee=grantee).pk])


@pytest.mark.parametrize("who", ["counselor", "supporter"])
def test_the_preview_shows_exactly_what_their_page_shows(
    who, plan, member, signed_in, their_counselor, their_supporter
):
    grantee, page = {
        "counselor": (their_counselor, "sharing:client"),
        "supporter": (their_supporter, "sharing:supporting"),
    }[who]
    theirs = main_of(as_(grantee).get(reverse(page, args=[member.pk])))
    preview = preview_of(signed_in.get(preview_url(grantee)))
    assert preview == theirs
    assert "Goal for only_me" not in preview
    region = f'<div class="preview" aria-label="{grantee}\'s page, as they see it"'
    assert region in signed_in.get(preview_url(grantee)).content.decode()


def test_the_preview_follows_a_change_at_once(plan, member, signed_in, their_supporter):
    assert "Goal for counselor" not in preview_of(signed_in.get(preview_url(their_supporter)))
    Goal.objects.filter(title="Goal for counselor").update(visibility="supporters")
    preview = preview_of(signed_in.get(preview_url(their_supporter)))
    assert "Goal for counselor" in preview
    assert preview == main_of(
        as_(their_supporter).get(reverse("sharing:supporting", args=[member.pk]))
    )


def test_the_preview_never_shows_which_lessons_the_supporter_read(
    plan, member, signed_in, their_supporter
):
    as_(their_supporter).post(reverse("sharing:lesson-read", args=[member.pk, "talking"]))
    preview = signed_in.get(preview_url(their_supporter)).content.decode()
    assert "You marked this read" not in preview


@pytest.mark.parametrize("who", ["counselor", "supporter"])
def test_the_preview_records_nothing_and_sends_nothing(
    who, plan, signed_in, their_counselor, their_supporter
):
    grantee = {"counselor": their_counselor, "supporter": their_supporter}[who]
    body = signed_in.get(preview_url(grantee)).content.decode()
    assert not AccessRecord.objects.exists()
    assert Grant.objects.get(grantee=grantee).last_viewed_at is None
    region = PREVIEW.search(body).group(1)
    controls = re.findall(r"<(?:button|textarea|select|input)\b[^>]*>", region)
    assert controls and all(" disabled" in control for control in controls)


def test_only_the_member_previews_their_own_live_grants(
    plan, member, other_member, their_counselor, their_supporter, signed_in
):
    url = preview_url(their_counselor)
    for person in (their_counselor, their_supporter, other_member):
        assert as_(person).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
    assert signed_in.get(url).status_code == 200
    Grant.objects.filter(grantee=their_counselor).update(
        ends_on=timezone.localdate() - timedelta(days=2)
    )
    assert signed_in.get(url).status_code == 404
    Grant.objects.filter(grantee=their_supporter).update(revoked_at=timezone.now())
    assert signed_in.get(preview_url(their_supporter)).status_code == 404


def test_the_sharing_page_links_each_person_to_their_preview(
    signed_in, their_counselor, their_supporter
):
    body = signed_in.get(reverse("sharing:sharing")).content.decode()
    for grantee in (their_counselor, their_supporter):
        assert f'href="{preview_url(grantee)}"' in body
        assert f"See what {grantee} sees" in body


PREVIEW_QUERIES = {
    # session, user, the grant with both people; then the client page's own: plan, help
    # calls, plan sources, relapse items, activities, goals, reviews, revisions,
    # comments, network, the finished weeks, meetings attended, triggers met (no access
    # record, no two-factor check: the member is not a counselor)
    "counselor": 16,
    # session, user, grant; then the supporter page's own: plan, relapse items,
    # activities, goals, messages sent, requests for help (no lessons read, no record)
    "supporter": 9,
}


@pytest.mark.parametrize("size", [1, 25])
@pytest.mark.parametrize("who", ["counselor", "supporter"])
def test_the_preview_runs_a_fixed_number_of_queries(
    who, size, member, signed_in, their_counselor, their_supporter, django_assert_num_queries
):
    fill(member, their_counselor, their_supporter, size)
    grantee = {"counselor": their_counselor, "supporter": their_supporter}[who]
    url = preview_url(grantee)
    with django_assert_num_queries(PREVIEW_QUERIES[who]):
        assert signed_in.get(url).status_code == 200
