"""Issue 16, items 1 to 4 and the crisis lines: a plan that never loses input, one
clear state, answers carried forward, honest gaps and care with risky ties."""

import re

import pytest
from django.urls import reverse

from plans import services
from plans.models import Activity, Goal, Plan, PlanSource
from tests.factories import SupportSourceFactory
from tests.plans.test_plan_views import HTMX, errors_of, in_plan, make_item, text

pytestmark = pytest.mark.django_db

AUTOSAVE = {**HTMX, "X-Autosave": "true"}


@pytest.fixture
def plan(member) -> Plan:
    return services.plan_start(owner=member)


def expectations_url(plan_source: PlanSource) -> str:
    return reverse("plans:expectations", args=[plan_source.pk])


# --- 1. Never lose input -------------------------------------------------------------


def test_a_card_saved_as_the_member_goes_answers_with_its_saved_state_only(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed")
    response = signed_in.post(
        expectations_url(maria),
        {"can_give": "Calls on Sundays", "can_give_how_often": "7"},
        headers=AUTOSAVE,
    )
    assert response.status_code == 200
    body = text(response)
    # The card itself is not redrawn (the member may be typing in it): its state and
    # summary are, out of band, and the live region says what was saved.
    assert f'<article id="expectation-{maria.pk}"' not in body
    state = rf'id="expectation-{maria.pk}-state"[^>]*hx-swap-oob="true".*?>Saved<'
    assert re.search(state, body, re.S)
    assert "Calls on Sundays · every week" in body
    assert "Saved what Maria can give." in body
    maria.refresh_from_db()
    assert maria.can_give == "Calls on Sundays"


def test_a_card_saved_as_the_member_goes_with_a_mistake_shows_it_beside_the_field(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed")
    response = signed_in.post(
        expectations_url(maria),
        {"can_give": "Typed now", "my_boundaries": "x" * 501},
        headers=AUTOSAVE,
    )
    assert response.status_code == 422
    assert "at most 500 characters" in errors_of(response, f"exp{maria.pk}_my_boundaries")
    assert "Typed now" in text(response)
    assert 'hx-swap-oob="true"' in text(response)  # the card comes back with its errors


def test_a_saved_card_collapses_to_one_line_with_edit(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", can_give="Calls", can_give_how_often=7)
    sam = in_plan(plan, "Sam", outcome="agreed")
    body = text(signed_in.get(reverse("plans:step", args=[3])))
    maria_card = body.split(f'id="expectation-{maria.pk}"', 1)[1].split("</article>", 1)[0]
    sam_card = body.split(f'id="expectation-{sam.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Calls · every week" in maria_card
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>Edit", maria_card)
    assert not re.search(r"<details[^>]* open", maria_card)
    assert re.search(r"<details[^>]* open", sam_card)  # nothing saved yet: the form shows


def test_a_folded_card_of_step_3_draws_its_form_only_when_opened(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", can_give="Calls", can_give_how_often=7)
    step3 = reverse("plans:step", args=[3])
    page = text(signed_in.get(step3))
    assert f'<form id="expectation-{maria.pk}-form"' not in page
    assert f'href="{step3}?edit={maria.pk}#expectation-{maria.pk}"' in page

    headers = {**HTMX, "HX-Target": f"expectation-{maria.pk}-form"}
    fragment = text(signed_in.get(step3, {"edit": maria.pk}, headers=headers))
    assert fragment.lstrip().startswith(f'<form id="expectation-{maria.pk}-form"')
    assert "Calls</textarea>" in fragment

    page = text(signed_in.get(step3, {"edit": maria.pk}))
    assert f'<form id="expectation-{maria.pk}-form"' in page

    asked = in_plan(plan, "Sam", outcome="asked")  # not agreed: no card in step 3
    headers = {**HTMX, "HX-Target": f"expectation-{asked.pk}-form"}
    assert signed_in.get(step3, {"edit": asked.pk}, headers=headers).status_code == 404


def test_the_plan_pages_warn_before_leaving_unsaved_changes(signed_in, plan):
    in_plan(plan, "Maria", outcome="agreed")  # step 3's open card
    in_plan(plan, "Sam")  # step 2's open card: not asked yet
    for step in (2, 3):
        body = text(signed_in.get(reverse("plans:step", args=[step])))
        assert "data-autosave" in body  # static/js/app.js saves these and warns
        assert "data-saves-first" in body  # "Go to step N" saves changed cards first


# --- 2. One plan, four steps, clear state ------------------------------------------


def test_an_active_plan_opens_on_its_overview(signed_in, member, plan):
    in_plan(plan, "Maria", outcome="agreed", crisis_contact=True)
    make_item(plan, "relapse")
    services.plan_activate(plan=plan, author=member)
    response = signed_in.get(reverse("plans:home"))
    assert response.status_code == 200
    body = text(response)
    assert "<h1>Your plan at a glance</h1>" in body
    assert "Step 3: What is realistic" in body and "To do" in body
    assert "What Maria can realistically give" in body


def test_the_overview_says_exactly_what_each_step_is_missing(signed_in, member, plan):
    in_plan(plan, "Maria", outcome="agreed")
    in_plan(plan, "Sam")
    services.plan_activate(plan=plan, author=member)
    body = text(signed_in.get(reverse("plans:home")))
    assert "Ask Sam" in body
    assert "What Maria can realistically give" in body
    assert "A warning sign, trigger or craving, and what you will do" in body
    assert "Nobody you can reach in a crisis is in your plan yet." in body


def test_activation_lists_what_is_missing_and_allows_activating_anyway(signed_in, plan):
    in_plan(plan, "Maria", outcome="agreed", crisis_contact=True)
    make_item(plan, "relapse")
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    activate = body.split('id="activate-heading"', 1)[1]
    assert "Still to do" in activate and "What Maria can realistically give" in activate
    assert "Activate anyway" in activate
    response = signed_in.post(reverse("plans:activate"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_active


def ready_box(response) -> str:
    """The "Ready?" box swapped out of band by a save on step 4, or "" if none came."""
    match = re.search(
        r'<section id="ready"[^>]*hx-swap-oob="true"[^>]*>(.*?)</section>', text(response), re.S
    )
    return match[1] if match else ""


def test_the_ready_box_follows_each_save_on_step_4(signed_in, plan, django_assert_num_queries):
    maria = in_plan(plan, "Maria", outcome="agreed", can_give="Calls", crisis_contact=True)
    make_item(plan, "relapse")
    step4 = text(signed_in.get(reverse("plans:step", args=[4])))
    assert "A goal" in step4.split('id="ready"', 1)[1]

    goal = reverse("plans:item-create", args=["goals"])
    response = signed_in.post(goal, {"title": "Walk daily", "progress": "0"}, headers=HTMX)
    box = ready_box(response)
    assert "Still to do" in box and "A goal" not in box
    assert "A meeting, a session or someone to stay in touch with" in box
    assert "Activate anyway" in box

    # Staying in touch with Maria: a commitment, so that line goes too.
    response = signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "7"}, headers=HTMX
    )
    box = ready_box(response)
    assert "A meeting, a session or someone to stay in touch with" not in box
    assert "What you will do in the first 24 hours after a slip" in box
    response = signed_in.post(
        reverse("plans:first-day"), {"first_day_after_slip": "Call Maria"}, headers=HTMX
    )
    box = ready_box(response)
    assert "Still to do" not in box and "Activate my plan" in box

    # Removing the goal brings its line back; a mistake changes nothing, so no box.
    removed = Goal.objects.get(plan=plan)
    response = signed_in.post(
        reverse("plans:item-delete", args=["goals", removed.pk]), headers=HTMX
    )
    assert "A goal" in ready_box(response)
    response = signed_in.post(goal, {"title": ""}, headers=HTMX)
    assert response.status_code == 422 and ready_box(response) == ""


@pytest.mark.parametrize("size", [1, 12])
def test_the_ready_box_costs_two_reads_whatever_the_plan_holds(
    signed_in, plan, size, django_assert_num_queries
):
    for n in range(size):
        in_plan(plan, f"Person {n}", outcome="agreed", crisis_contact=True)
        make_item(plan, "relapse", description=f"Sign {n}")
        make_item(plan, "goals", title=f"Goal {n}")
    # Session, user, plan, savepoint, insert, release, the section's list; then the
    # box: the plan's sources and its item counts.
    with django_assert_num_queries(9):
        response = signed_in.post(
            reverse("plans:item-create", args=["goals"]),
            {"title": "Walk daily", "progress": "0"},
            headers=HTMX,
        )
    assert f"Goal {size - 1}" in text(response) and "Activate anyway" in ready_box(response)


def test_an_active_plans_saves_send_no_ready_box(signed_in, member, plan):
    in_plan(plan, "Maria", outcome="agreed", crisis_contact=True)
    services.plan_activate(plan=plan, author=member)
    response = signed_in.post(
        reverse("plans:item-create", args=["goals"]),
        {"title": "Walk", "progress": "0"},
        headers=HTMX,
    )
    assert response.status_code == 200 and 'id="ready"' not in text(response)


def test_a_plan_with_nothing_for_a_crisis_cannot_be_activated_and_says_so(signed_in, plan):
    in_plan(plan, "Maria", outcome="agreed")
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    assert "Nobody you can reach in a crisis is in your plan yet." in body
    assert "Activate my plan" not in body and "Activate anyway" not in body
    assert re.search(r'<button type="submit" disabled[^>]*>Activate once someone is there', body)
    # Refused as a plain post and redirect (the access matrix's 302), with the reason.
    response = signed_in.post(reverse("plans:activate"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("plans:step", args=[4]))
    assert "Nobody you can reach in a crisis is in your plan yet." in text(response)
    plan.refresh_from_db()
    assert not plan.is_active


def test_the_dashboard_says_what_is_missing(signed_in, plan):
    in_plan(plan, "Maria", outcome="agreed")
    body = text(signed_in.get(reverse("dashboard")))
    assert "What Maria can realistically give" in body
    assert "Continue your plan" in body


def test_the_dashboard_of_an_active_plan_never_sends_back_to_a_step(signed_in, member, plan):
    in_plan(plan, "Maria", outcome="agreed", crisis_contact=True)
    services.plan_activate(plan=plan, author=member)
    body = text(signed_in.get(reverse("dashboard")))
    assert "Continue your plan" not in body
    assert "Your plan is active. Still to do when you are ready:" in body
    assert "What Maria can realistically give" in body


# --- 3. Answers carried forward --------------------------------------------------------


def test_how_often_in_step_3_sets_staying_in_touch_in_step_4(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed")
    signed_in.post(
        expectations_url(maria), {"can_give": "Calls", "can_give_how_often": "7"}, headers=HTMX
    )
    maria.source.refresh_from_db()
    assert maria.source.contact_every_days == 7
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    contacts = body.split('id="section-contacts"', 1)[1].split("</section>", 1)[0]
    assert "<strong>Maria</strong> · Every week</span>" in contacts


def test_how_often_in_step_3_keeps_a_contact_already_planned(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", contact_every_days=1)
    signed_in.post(
        expectations_url(maria), {"can_give": "Calls", "can_give_how_often": "7"}, headers=HTMX
    )
    maria.source.refresh_from_db()
    assert maria.source.contact_every_days == 1


def test_a_groups_meeting_time_is_offered_as_a_meeting(signed_in, member, plan):
    group = SupportSourceFactory(
        owner=member,
        name="Tuesday Night AA",
        category="support_group",
        meets_when="Tuesdays 7pm",
        meets_where="St Mark's hall",
    )
    PlanSource.objects.create(plan=plan, source=group, outcome="agreed")
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    offer = body.split('id="section-activities"', 1)[1].split("</section>", 1)[0]
    assert "From your network: Tuesday Night AA, Tuesdays 7pm" in offer
    assert 'name="title" value="Tuesday Night AA"' in offer
    assert 'name="weekday" value="1"' in offer and 'name="time" value="19:00"' in offer
    # Added, it is offered no more.
    signed_in.post(
        reverse("plans:item-create", args=["activities"]),
        {"kind": "meeting", "title": "Tuesday Night AA", "weekday": "1", "time": "19:00"},
    )
    assert Activity.objects.filter(plan=plan, title="Tuesday Night AA").exists()
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    assert "From your network: Tuesday Night AA" not in body


def test_the_draft_can_be_rewritten_in_the_browser_from_the_same_words(signed_in, plan):
    in_plan(plan, "Maria", outcome="not_asked")
    body = text(signed_in.get(reverse("plans:step", args=[2])))
    assert 'id="draft-words"' in body  # the words app.js drafts with, as JSON
    assert "be someone I can talk to when things are hard" in body.split('id="draft-words"')[1]
    assert "data-draft-greeting=" in body


# --- 4. Honest gaps, care with risky ties ---------------------------------------------


def test_the_gaps_never_praise_contact_that_has_not_happened(signed_in, member):
    SupportSourceFactory(
        owner=member,
        name="Dana",
        category="counselor",
        support_types=["emotional", "practical", "informational", "relapse_prevention"],
        crisis_contact=True,
    )
    SupportSourceFactory(
        owner=member,
        name="Tuesday group",
        category="support_group",
        support_types=["emotional", "practical", "informational", "relapse_prevention"],
    )
    SupportSourceFactory(owner=member, name="Sam", support_types=["emotional"])
    body = text(signed_in.get(reverse("networks:network")))
    assert "Well done" not in body and "in touch as planned" not in body
    assert "Your network covers every kind of support." in body


def test_a_risky_source_chosen_for_the_plan_gets_a_caution(signed_in, plan):
    tony = in_plan(plan, "Tony", influence="risk")
    body = text(signed_in.get(reverse("plans:step", args=[1])))
    assert "You marked Tony as a risk to your recovery." in body
    assert reverse("networks:source-edit", args=[tony.source_id]) in body


def test_a_risky_contact_in_step_4_gets_a_caution(signed_in, member, plan):
    tony = SupportSourceFactory(owner=member, name="Tony", influence="risk")
    make_item(plan, "relapse", contact=tony)
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    relapse = body.split('id="section-relapse"', 1)[1].split("</section>", 1)[0]
    assert "You marked Tony as a risk to your recovery." in relapse
    assert reverse("networks:source-edit", args=[tony.pk]) in relapse
