"""The day count the dashboard leads with: the start date asked when a member first
arrives (skippable), changeable on their account page, never later than their today;
and after a slip, starting again only if they choose to."""

import html
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import HelpCall
from recovery_support.models import User
from tests.recovery_support.test_dashboard import build_plan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def card(response) -> str:
    body = text(response)
    start = body.index('<section class="card day-count"')
    return body[start : body.index("</section>", start)]


def field(body: str, name: str) -> str:
    """The markup of one field: its label, help, errors and input."""
    fields = body.split('<div class="field">')[1:]
    return next(f for f in fields if f'name="{name}"' in f)


def counting_from(member, days_ago: int) -> None:
    member.recovery_started_on = member.local_today() - timedelta(days=days_ago)
    member.save(update_fields=["recovery_started_on"])


# --- Asked when a member first arrives --------------------------------------------


def test_a_new_member_is_asked_when_their_recovery_started(signed_in):
    found = card(signed_in.get(reverse("dashboard")))
    assert "When did your recovery start?" in found
    assert 'type="date"' in found and ">Not now</button>" in found


def test_the_start_date_given_the_dashboard_leads_with_the_days_and_next_milestone(
    signed_in, member
):
    start = member.local_today() - timedelta(days=45)
    response = signed_in.post(reverse("recovery-start"), {"recovery_started_on": start})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.recovery_started_on == start
    dashboard = signed_in.get(reverse("dashboard"))
    found = card(dashboard)
    assert '<p class="big-number">45 <span>days</span></p>' in found
    assert "Next milestone: <strong>60 days</strong>, in 15 days" in found
    body = text(dashboard)
    assert body.index("day-count") < body.index('id="plan-heading"'), "it leads"


def test_with_htmx_the_card_is_answered_in_place(signed_in, member):
    start = member.local_today() - timedelta(days=6)
    response = signed_in.post(
        reverse("recovery-start"), {"recovery_started_on": start}, headers=HTMX
    )
    assert response.status_code == 200
    body = text(response).strip()
    assert body.startswith('<section class="card day-count" id="day-count"')
    assert "Saved. Here is your count." in body
    assert "Next milestone: <strong>1 week</strong>, tomorrow." in body


def test_day_one_is_day_one(signed_in, member):
    counting_from(member, 0)
    found = card(signed_in.get(reverse("dashboard")))
    assert '<p class="big-number">Day one</p>' in found
    assert "Next milestone: <strong>1 day</strong>, tomorrow." in found


def test_not_now_stops_asking(signed_in, member):
    response = signed_in.post(reverse("recovery-start"), {"skip": "1"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.recovery_date_skipped and member.recovery_started_on is None
    assert "day-count" not in text(signed_in.get(reverse("dashboard")))


def test_a_start_date_still_to_come_is_refused_beside_the_field(signed_in, member):
    tomorrow = (member.local_today() + timedelta(days=1)).isoformat()
    response = signed_in.post(
        reverse("recovery-start"), {"recovery_started_on": tomorrow}, headers=HTMX
    )
    assert response.status_code == 422
    found = field(text(response), "recovery_started_on")
    assert "Your start date is still to come. Choose today or a day before." in found
    assert f'value="{tomorrow}"' in found, "what was typed is kept"
    member.refresh_from_db()
    assert member.recovery_started_on is None


def test_without_javascript_a_refusal_shows_the_card_on_its_own_page(signed_in, member):
    response = signed_in.post(reverse("recovery-start"), {"recovery_started_on": "2026-02-30"})
    assert response.status_code == 422
    body = text(response)
    assert "<h1>Your day count</h1>" in body
    assert 'value="2026-02-30"' in field(body, "recovery_started_on")


@pytest.mark.parametrize("size", [2, 30])
def test_the_day_count_adds_one_query_to_the_dashboard(
    client, member, size, django_assert_num_queries
):
    build_plan(member, size)
    client.force_login(member)
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("dashboard"))
    counting_from(member, 100)
    cache.clear()
    # Whether a slip was noted since they began counting.
    with django_assert_num_queries(len(without) + 1):
        response = client.get(reverse("dashboard"))
    assert '<p class="big-number">100 <span>days</span></p>' in card(response)


# --- Changeable on the account page ------------------------------------------------


def test_the_account_page_changes_the_name_and_the_start_date(signed_in, member):
    start = member.local_today() - timedelta(days=10)
    page = text(signed_in.get(reverse("account-details")))
    assert 'value="Jordan"' in field(page, "display_name")
    response = signed_in.post(
        reverse("account-details"),
        {"display_name": "Jo", "recovery_started_on": start.isoformat()},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.recovery_started_on) == ("Jo", start)


def test_the_account_page_refuses_a_start_date_still_to_come(signed_in, member):
    tomorrow = (member.local_today() + timedelta(days=1)).isoformat()
    response = signed_in.post(
        reverse("account-details"), {"display_name": "Jo", "recovery_started_on": tomorrow}
    )
    assert response.status_code == 422
    found = field(text(response), "recovery_started_on")
    assert "still to come" in found and f'value="{tomorrow}"' in found
    member.refresh_from_db()
    assert (member.display_name, member.recovery_started_on) == ("Jordan", None)


def test_the_account_page_refuses_a_name_with_a_line_break(signed_in, member):
    response = signed_in.post(reverse("account-details"), {"display_name": "Jo\r\nBcc: x@y.z"})
    assert response.status_code == 422
    assert "without line breaks or hidden formatting characters" in field(
        text(response), "display_name"
    )
    member.refresh_from_db()
    assert member.display_name == "Jordan"


def test_someone_without_a_space_of_their_own_is_not_asked_for_a_start_date(signed_in, member):
    User.objects.filter(pk=member.pk).update(has_own_space=False)
    page = text(signed_in.get(reverse("account-details")))
    assert 'name="display_name"' in page and "recovery_started_on" not in page


# --- After a slip: the member's choice ---------------------------------------------


def test_a_slip_never_resets_the_count_by_itself(signed_in, member):
    counting_from(member, 45)
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    found = card(signed_in.get(reverse("dashboard")))
    assert '<p class="big-number">45 <span>days</span></p>' in found
    assert "Start counting again from today?" in found
    assert ">Keep my count</button>" in found and ">Start again</button>" in found


def test_keeping_the_count_keeps_it_and_stops_asking(signed_in, member):
    counting_from(member, 45)
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    response = signed_in.post(reverse("recovery-restart"), {"answer": "keep"}, headers=HTMX)
    assert "Your count stays at 45 days." in text(response)
    assert "Start counting again" not in text(response)
    member.refresh_from_db()
    assert member.recovery_started_on == member.local_today() - timedelta(days=45)


def test_starting_again_counts_from_today_kindly(signed_in, member):
    counting_from(member, 45)
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    response = signed_in.post(reverse("recovery-restart"), {"answer": "restart"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.recovery_started_on == member.local_today()
    dashboard = text(signed_in.get(reverse("dashboard")))
    assert "Day one again. Your 45 days before still count" in dashboard
    assert "Start counting again" not in dashboard


def test_a_slip_before_the_count_began_asks_nothing(signed_in, member):
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    counting_from(member, 0)
    HelpCall.objects.filter(owner=member).update(
        created_at=HelpCall.objects.get().created_at - timedelta(days=2)
    )
    assert "Start counting again" not in card(signed_in.get(reverse("dashboard")))


def test_asking_for_help_is_not_a_slip(signed_in, member):
    counting_from(member, 45)
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.HELP)
    assert "Start counting again" not in card(signed_in.get(reverse("dashboard")))


def test_a_slip_after_the_last_answer_asks_again_and_its_read_is_learnt(signed_in, member):
    """The slips read is built once (SqlOnce) with the start of the count and the last
    answer as values: a slip noted before the answer asks nothing, one after asks."""
    from plans import selectors as plan_selectors

    counting_from(member, 45)
    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    signed_in.post(reverse("recovery-restart"), {"answer": "keep"})
    assert "Start counting again" not in card(signed_in.get(reverse("dashboard")))
    assert plan_selectors._SLIPS_SINCE.learnt not in (None, False), "built once"

    HelpCall.objects.create(owner=member, kind=HelpCall.Kind.SLIP)
    assert "Start counting again from today?" in card(signed_in.get(reverse("dashboard")))
