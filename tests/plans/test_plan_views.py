import html
import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from networks.models import SupportSource
from plans import services
from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem, Revision
from tests.factories import SupportSourceFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
KINDS = ["activities", "relapse", "goals"]
MODELS = {"activities": Activity, "relapse": RelapseItem, "goals": Goal}

# What a member types to add one item of each kind in step 4.
ITEM_POST = {
    "activities": {
        "kind": "meeting",
        "title": "Thursday group",
        "weekday": "3",
        "time": "18:30",
        "place": "Library",
    },
    "relapse": {
        "kind": "warning_sign",
        "area": "mood",
        "description": "Snapping at people",
        "coping": "Go for a walk",
        "contact": "",
    },
    "goals": {"title": "Sleep by eleven", "target": "Five nights a week", "progress": "10"},
}


# --- Small builders -----------------------------------------------------------


@pytest.fixture
def plan(member) -> Plan:
    return services.plan_start(owner=member)


def in_plan(plan: Plan, name: str, **fields) -> PlanSource:
    """A new source of the plan's owner, already chosen in step 1."""
    source_fields = {
        k: fields.pop(k)
        for k in ("email", "phone", "crisis_contact", "influence", "contact_every_days")
        if k in fields
    }
    source = SupportSourceFactory(owner=plan.owner, name=name, **source_fields)
    return PlanSource.objects.create(plan=plan, source=source, **fields)


def make_item(plan: Plan, kind: str, **fields):
    defaults = {
        "activities": {
            "kind": "meeting",
            "title": "Tuesday group",
            "weekday": 1,
            "time": time(19, 0),
            "place": "Church hall",
        },
        "relapse": {"kind": "trigger", "description": "Payday", "coping": "Give my card to Sam"},
        "goals": {"title": "Walk daily", "target": "30 minutes", "progress": 20},
    }[kind]
    return MODELS[kind].objects.create(plan=plan, **{**defaults, **fields})


def item_name(item) -> str:
    return item.description if isinstance(item, RelapseItem) else item.title


def text(response) -> str:
    """The response body with HTML entities decoded (I'm, “quotes”)."""
    return html.unescape(response.content.decode())


def errors_of(response, field_id: str) -> str:
    """The text of the error list Django renders beside a field."""
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', text(response))
    return match.group(1) if match else ""


def checked_ids(response) -> set[int]:
    return {
        int(pk)
        for pk in re.findall(
            r'name="sources" value="(\d+)" id="choose_\d+" checked', text(response)
        )
    }


def item_rows(plan: Plan) -> dict[str, list[dict]]:
    return {
        kind: list(model.objects.filter(plan=plan).order_by("pk").values())
        for kind, model in MODELS.items()
    }


def snapshot(plan: Plan) -> dict:
    """Everything saved about a plan, to show a request changed nothing."""
    return {
        "plan": Plan.objects.filter(pk=plan.pk).values().get(),
        "sources": list(PlanSource.objects.filter(plan=plan).order_by("pk").values()),
        "items": item_rows(plan),
        "revisions": list(Revision.objects.filter(plan=plan).values()),
    }


# --- Starting the plan ----------------------------------------------------------


def test_the_plan_starts_as_a_draft_on_first_visit(signed_in, member):
    assert not Plan.objects.exists()
    response = signed_in.get(reverse("plans:home"))
    assert response.status_code == 302
    assert response.url == reverse("plans:step", args=[1])
    plan = Plan.objects.get(owner=member)
    assert plan.status == Plan.Status.DRAFT and plan.activated_at is None
    page = signed_in.get(response.url)
    assert "Your support plan · draft" in text(page)
    signed_in.get(reverse("plans:home"))
    assert Plan.objects.filter(owner=member).count() == 1


def test_the_plan_page_sends_the_member_to_the_next_step_to_take(signed_in, plan):
    def next_step() -> str:
        response = signed_in.get(reverse("plans:home"))
        assert response.status_code == 302
        return response.url

    assert next_step() == reverse("plans:step", args=[1])
    maria = in_plan(plan, "Maria")
    assert next_step() == reverse("plans:step", args=[2])
    maria.outcome = "agreed"
    maria.save()
    sam = in_plan(plan, "Sam", outcome="not_asked")
    assert next_step() == reverse("plans:step", args=[2])  # Sam is not asked yet
    sam.outcome = "declined"
    sam.save()
    assert next_step() == reverse("plans:step", args=[3])
    maria.can_give = "A call on Sundays"
    maria.save()
    assert next_step() == reverse("plans:step", args=[4])
    make_item(plan, "activities")
    make_item(plan, "relapse")
    make_item(plan, "goals")
    assert next_step() == reverse("plans:step", args=[4])
    plan.first_day_after_slip = "Call Maria."
    plan.save()
    assert next_step() == reverse("plans:step", args=[4])  # all done: the plan itself
    page = signed_in.get(reverse("plans:step", args=[4]))
    assert page.content.decode().count("steps-nav__item--done") == 4


@pytest.mark.parametrize("step", [0, 5])
def test_steps_outside_one_to_four_are_404(signed_in, step):
    assert signed_in.get(reverse("plans:step", args=[step])).status_code == 404


# --- Step 1: who could support you ----------------------------------------------


def test_choosing_sources_adds_and_removes_them_and_goes_to_step_2(signed_in, member, plan):
    kept = in_plan(plan, "Maria")
    dropped = in_plan(plan, "Old friend")
    new = SupportSourceFactory(owner=member, name="Sam")
    response = signed_in.post(
        reverse("plans:step", args=[1]), {"sources": [kept.source_id, new.pk]}
    )
    assert response.status_code == 302
    assert response.url == reverse("plans:step", args=[2])
    assert set(plan.plan_sources.values_list("source_id", flat=True)) == {kept.source_id, new.pk}
    assert PlanSource.objects.filter(pk=kept.pk).exists()  # kept, with its ask, not re-created
    assert not PlanSource.objects.filter(pk=dropped.pk).exists()
    assert SupportSource.objects.filter(pk=dropped.source_id).exists()  # still in the network
    page = signed_in.get(reverse("plans:step", args=[1]))
    assert checked_ids(page) == {kept.source_id, new.pk}
    assert "Old friend" in text(page)


def test_choosing_nobody_is_refused_and_keeps_what_was_in_the_plan(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", can_give="A call on Sundays")
    response = signed_in.post(reverse("plans:step", args=[1]), {})
    assert response.status_code == 422
    assert "Choose at least one person or group to carry on." in text(response)
    maria.refresh_from_db()
    assert maria.can_give == "A call on Sundays"  # nothing saved is lost


def test_a_forged_source_of_another_member_is_422_and_changes_nothing(
    signed_in, member, other_member, plan
):
    mine = in_plan(plan, "Maria")
    also_mine = SupportSourceFactory(owner=member, name="Sam")
    theirs = SupportSourceFactory(owner=other_member, name="Their Sister")
    response = signed_in.post(
        reverse("plans:step", args=[1]), {"sources": [also_mine.pk, theirs.pk]}
    )
    assert response.status_code == 422
    assert f"Select a valid choice. {theirs.pk} is not one of the available choices." in (
        errors_of(response, "sources")
    )
    assert "Their Sister" not in text(response)
    assert list(PlanSource.objects.values_list("pk", flat=True)) == [mine.pk]
    assert not PlanSource.objects.filter(source=theirs).exists()


def test_adding_a_source_in_place_puts_it_in_the_network_and_the_plan(signed_in, member, plan):
    in_plan(plan, "Sam")
    data = {
        "name": "Maria",
        "category": "family",
        "relationship": "sister",
        "support_types": ["emotional", "practical"],
    }
    response = signed_in.post(reverse("plans:add-source"), data, headers=HTMX)
    assert response.status_code == 200
    source = SupportSource.objects.get(name="Maria")
    assert source.owner == member
    assert source.category == "family" and source.relationship == "sister"
    assert source.support_types == ["emotional", "practical"]
    assert PlanSource.objects.filter(plan=plan, source=source).exists()
    body = text(response)
    assert '<form id="choose-sources"' in body and "<h1>" not in body
    assert re.search(r'<form id="choose-sources"[^>]*hx-swap-oob="true"', body)
    assert source.pk in checked_ids(response)
    # A fresh quick-add form for the next person.
    quick = body.split('<form id="quick-add"', 1)[1]
    assert 'value="Maria"' not in quick and 'value="sister"' not in quick


def test_adding_a_source_without_javascript_redirects_back_to_step_1(signed_in, member, plan):
    response = signed_in.post(
        reverse("plans:add-source"), {"name": "Maria", "category": "family"}, follow=True
    )
    assert response.redirect_chain == [(reverse("plans:step", args=[1]), 302)]
    source = SupportSource.objects.get(owner=member, name="Maria")
    assert plan.plan_sources.get().source == source
    assert "Added Maria to your network and your plan." in text(response)
    assert source.pk in checked_ids(response)


def test_adding_a_source_in_place_announces_it(signed_in, plan):
    response = signed_in.post(
        reverse("plans:add-source"), {"name": "Maria", "category": "family"}, headers=HTMX
    )
    assert re.search(
        r'<div id="plan-status" hx-swap-oob="innerHTML">'
        r"Added Maria to your network and your plan.</div>",
        text(response),
    )


def test_adding_a_source_in_place_keeps_boxes_ticked_but_not_yet_saved(signed_in, member, plan):
    saved = in_plan(plan, "Sam")
    ticked = SupportSourceFactory(owner=member, name="Robin")
    untouched = SupportSourceFactory(owner=member, name="Alex")
    response = signed_in.post(
        reverse("plans:add-source"),
        {"name": "Maria", "category": "family", "sources": [saved.source_id, ticked.pk]},
        headers=HTMX,
    )
    maria = SupportSource.objects.get(name="Maria")
    assert checked_ids(response) == {saved.source_id, ticked.pk, maria.pk}
    assert untouched.pk not in checked_ids(response)
    # Ticking is not saving: only Sam and the new person are in the plan.
    assert set(plan.plan_sources.values_list("source_id", flat=True)) == {
        saved.source_id,
        maria.pk,
    }


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("category", "cousin", "Select a valid choice."),
        ("support_types", ["telepathy"], "Select a valid choice."),
    ],
)
def test_bad_quick_add_input_is_422_and_keeps_what_was_typed(
    signed_in, plan, field, value, message, htmx
):
    data = {"name": "Maria", "category": "family", "relationship": "my sponsor", field: value}
    response = signed_in.post(reverse("plans:add-source"), data, headers=HTMX if htmx else {})
    assert response.status_code == 422
    assert message in errors_of(response, f"quick_{field}")
    assert 'value="my sponsor"' in text(response)
    assert ("<h1>" in text(response)) is not htmx  # the form alone for HTMX
    assert not SupportSource.objects.exists()
    assert not PlanSource.objects.exists()


# --- Step 2: reach out ----------------------------------------------------------


def ask_url(plan_source: PlanSource) -> str:
    return reverse("plans:ask", args=[plan_source.pk])


def test_saving_an_ask_returns_the_card_with_a_drafted_message(signed_in, plan):
    maria = in_plan(plan, "Maria Lopez", email="maria@example.org", phone="+1 555 201 3344")
    response = signed_in.post(
        ask_url(maria),
        {
            "ask_support": ["emotional"],
            "ask_how_often": "7",
            "ask_note": "No pressure at all.",
            "outcome": "asked",
            "asked_on": "2025-03-01",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    card = text(response)
    assert f'<article id="ask-{maria.pk}"' in card and "<h1>" not in card
    assert "Saved your ask to Maria Lopez." in card
    assert 'id="plan-status" hx-swap-oob="innerHTML"' in card
    # Asked now, the card folds; opening it fetches its form and drafted message.
    assert "draft__text" not in card
    assert f'hx-get="{reverse("plans:step", args=[2])}?edit={maria.pk}"' in card
    body = text(
        signed_in.get(
            reverse("plans:step", args=[2]),
            {"edit": maria.pk},
            headers={**HTMX, "HX-Target": f"ask-{maria.pk}-form"},
        )
    )
    assert body.lstrip().startswith(f'<form id="ask-{maria.pk}-form"')
    draft = re.search(r'<pre class="draft__text"[^>]*>(.*?)</pre>', body, re.S).group(1)
    assert draft.startswith("Hi Maria,")  # a person by their first name
    assert (
        "Would you be willing to be someone I can talk to when things are hard? "
        "I was thinking every week, if that works for you." in draft
    )
    assert "No pressure at all." in draft
    assert draft.endswith("Thank you,\nJordan")
    mailto = re.search(r'href="(mailto:[^"]*)"', body).group(1)
    assert "example.org?subject=" in mailto and "talk%20to" in mailto
    sms = re.search(r'href="(sms:[^"]*)"', body).group(1)
    assert "15552013344" in sms and "talk%20to" in sms
    maria.refresh_from_db()
    assert maria.ask_support == ["emotional"] and maria.ask_how_often == 7
    assert maria.outcome == "asked" and str(maria.asked_on) == "2025-03-01"


def test_a_folded_card_draws_its_form_only_when_opened(signed_in, plan, django_assert_num_queries):
    maria = in_plan(plan, "Maria", outcome="agreed", ask_support=["emotional"])
    sam = in_plan(plan, "Sam")  # not asked yet: open, with its form
    step2 = reverse("plans:step", args=[2])
    page = text(signed_in.get(step2))
    assert f'<form id="ask-{sam.pk}-form"' in page
    assert f'<form id="ask-{maria.pk}-form"' not in page
    assert f'<p id="ask-{maria.pk}-form"><a href="{step2}?edit={maria.pk}#ask-{maria.pk}">' in page

    # With htmx (the card's details opened): its form alone.
    headers = {**HTMX, "HX-Target": f"ask-{maria.pk}-form"}
    with django_assert_num_queries(3):  # session, user, the plan source
        fragment = text(signed_in.get(step2, {"edit": maria.pk}, headers=headers))
    assert fragment.lstrip().startswith(f'<form id="ask-{maria.pk}-form"')
    assert 'value="emotional" id="ask' in fragment and "checked" in fragment

    # Without it (the link, to #ask-<pk>): the page, with that card open.
    page = text(signed_in.get(step2, {"edit": maria.pk}))
    assert "<h1>Step 2: Reach out</h1>" in page
    assert f'<form id="ask-{maria.pk}-form"' in page
    assert re.search(
        rf'<article id="ask-{maria.pk}".*?<details class="plan-card__edit" open>', page, re.S
    )

    # Another member's card is 404; a value that is no card draws the page as it was.
    other = in_plan(Plan.objects.create(owner=UserFactory()), "Someone", outcome="asked")
    headers = {**HTMX, "HX-Target": f"ask-{other.pk}-form"}
    assert signed_in.get(step2, {"edit": other.pk}, headers=headers).status_code == 404
    for odd in ["x", "-1", "٣", "9" * 40]:
        response = signed_in.get(step2, {"edit": odd}, headers={**HTMX, "HX-Target": "x"})
        assert response.status_code == 200
        assert f'<form id="ask-{maria.pk}-form"' not in text(response)


def test_an_ask_to_someone_without_email_or_phone_has_no_send_links(signed_in, plan):
    sam = in_plan(plan, "Sam")
    response = signed_in.post(
        ask_url(sam), {"ask_support": ["practical"], "outcome": "not_asked"}, headers=HTMX
    )
    body = text(response)
    assert "help with some practical things" in body
    assert "mailto:" not in body and "sms:" not in body
    assert "Add a phone or email in your network to send it from here." in body


def test_saving_an_ask_without_javascript_redirects_to_step_2(signed_in, plan):
    sam = in_plan(plan, "Sam")
    response = signed_in.post(ask_url(sam), {"outcome": "agreed"}, follow=True)
    assert response.redirect_chain == [(reverse("plans:step", args=[2]), 302)]
    assert "Saved your ask to Sam." in text(response)
    sam.refresh_from_db()
    assert sam.outcome == "agreed"


def test_an_answer_before_the_ask_is_a_field_error(signed_in, plan):
    maria = in_plan(plan, "Maria")
    response = signed_in.post(
        ask_url(maria),
        {
            "ask_note": "Could we talk on Sundays?",
            "outcome": "agreed",
            "asked_on": "2025-03-10",
            "answered_on": "2025-03-09",
        },
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "The answer can't come before you asked." in errors_of(
        response, f"ask{maria.pk}_answered_on"
    )
    body = text(response)
    assert 'value="2025-03-10"' in body and "Could we talk on Sundays?" in body
    maria.refresh_from_db()
    assert maria.outcome == "not_asked" and maria.asked_on is None and maria.ask_note == ""


def test_an_unknown_outcome_is_not_a_valid_choice(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="asked")
    response = signed_in.post(ask_url(maria), {"outcome": "maybe"}, headers=HTMX)
    assert response.status_code == 422
    assert "Select a valid choice. maybe is not one of the available choices." in errors_of(
        response, f"ask{maria.pk}_outcome"
    )
    maria.refresh_from_db()
    assert maria.outcome == "asked"


def test_an_invalid_ask_without_javascript_shows_the_error_on_the_page(signed_in, plan):
    maria = in_plan(plan, "Maria")
    response = signed_in.post(
        ask_url(maria),
        {"ask_note": "Typed note", "asked_on": "2025-03-10", "answered_on": "2025-03-09"},
    )
    assert response.status_code == 422
    assert "The answer can't come before you asked." in text(response)
    assert "Typed note" in text(response)


def test_a_declined_ask_is_kept_and_can_be_revisited(signed_in, plan):
    maria = in_plan(plan, "Maria")
    signed_in.post(
        ask_url(maria),
        {"ask_support": ["emotional"], "outcome": "declined", "answered_on": "2025-03-02"},
        headers=HTMX,
    )
    maria.refresh_from_db()
    assert maria.outcome == "declined"
    page = text(signed_in.get(reverse("plans:step", args=[2])))
    assert 'class="card plan-card ask ask--declined"' in page
    assert "A no is an answer, not a failure." in page

    follow_up = {"ask_support": ["emotional"], "outcome": "follow_up", "follow_up_on": "2025-04-01"}
    assert signed_in.post(ask_url(maria), follow_up, headers=HTMX).status_code == 200
    maria.refresh_from_db()
    assert maria.outcome == "follow_up" and str(maria.follow_up_on) == "2025-04-01"

    response = signed_in.post(
        ask_url(maria), {"ask_support": ["emotional"], "outcome": "agreed"}, headers=HTMX
    )
    assert "A no is an answer" not in text(response)
    maria.refresh_from_db()
    assert maria.outcome == "agreed"
    assert f'id="expectation-{maria.pk}"' in text(signed_in.get(reverse("plans:step", args=[3])))


# --- Step 3: what is realistic --------------------------------------------------


def expectations_url(plan_source: PlanSource) -> str:
    return reverse("plans:expectations", args=[plan_source.pk])


def test_only_agreed_sources_appear_in_step_3(signed_in, plan):
    agreed = in_plan(plan, "Maria", outcome="agreed", ask_support=["emotional"], ask_how_often=7)
    others = [
        in_plan(plan, name, outcome=outcome)
        for name, outcome in [
            ("Sam", "declined"),
            ("Alex", "asked"),
            ("Robin", "follow_up"),
            ("Kim", "not_asked"),
        ]
    ]
    body = text(signed_in.get(reverse("plans:step", args=[3])))
    assert re.findall(r'<article id="expectation-(\d+)"', body) == [str(agreed.pk)]
    assert "You asked for: emotional, every week." in body
    for other in others:
        assert other.source.name not in body


def test_saving_expectations_in_place(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", ask_how_often=7)
    response = signed_in.post(
        expectations_url(maria),
        {
            "can_give": "A call on Sunday evenings",
            "can_give_how_often": "7",
            "my_boundaries": "No calls after 10pm",
            "their_boundaries": "Not during work",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    body = text(response)
    assert f'<article id="expectation-{maria.pk}"' in body and "<h1>" not in body
    assert "A call on Sunday evenings" in body
    assert "Saved what Maria can give." in body
    assert re.search(r'<div id="plan-warnings" hx-swap-oob="true"', body)
    maria.refresh_from_db()
    assert maria.can_give == "A call on Sunday evenings" and maria.can_give_how_often == 7
    assert maria.my_boundaries == "No calls after 10pm"
    assert maria.their_boundaries == "Not during work"


@pytest.mark.parametrize("htmx", [True, False])
def test_invalid_expectations_are_422_and_keep_what_was_typed(signed_in, plan, htmx):
    maria = in_plan(plan, "Maria", outcome="agreed", can_give="Saved before")
    response = signed_in.post(
        expectations_url(maria),
        {"can_give": "Typed now", "can_give_how_often": "2", "my_boundaries": "x" * 501},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    assert "Select a valid choice." in errors_of(response, f"exp{maria.pk}_can_give_how_often")
    assert "at most 500 characters" in errors_of(response, f"exp{maria.pk}_my_boundaries")
    assert "Typed now" in text(response)
    maria.refresh_from_db()
    assert maria.can_give == "Saved before" and maria.my_boundaries == ""


def test_one_person_holding_most_of_the_asks_is_flagged(signed_in, plan):
    in_plan(
        plan,
        "Maria",
        outcome="agreed",
        ask_support=["emotional", "practical", "relapse_prevention"],
    )
    in_plan(plan, "Sam", outcome="agreed", ask_support=["informational"])
    body = text(signed_in.get(reverse("plans:step", args=[3])))
    assert "Maria carries most of your plan. If they are away or unwell" in body
    assert "Sam carries" not in body


def test_support_shared_evenly_is_not_flagged(signed_in, plan):
    in_plan(plan, "Maria", outcome="agreed", ask_support=["emotional"])
    in_plan(plan, "Sam", outcome="agreed", ask_support=["practical"])
    body = text(signed_in.get(reverse("plans:step", args=[3])))
    assert "carries most of your plan" not in body
    assert "can manage" not in body


def test_someone_who_can_give_less_often_than_asked_is_flagged(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", ask_support=["emotional"], ask_how_often=1)
    in_plan(plan, "Sam", outcome="agreed", ask_support=["practical"])
    page = text(signed_in.get(reverse("plans:step", args=[3])))
    assert "can manage" not in page
    response = signed_in.post(
        expectations_url(maria), {"can_give": "Texts", "can_give_how_often": "7"}, headers=HTMX
    )
    warnings = text(response).split('<div id="plan-warnings"', 1)[1].split("</div>", 1)[0]
    assert "You hoped to hear from Maria every day, and they can manage every week." in warnings
    page = text(signed_in.get(reverse("plans:step", args=[3])))
    assert "You hoped to hear from Maria every day, and they can manage every week." in page


@pytest.mark.parametrize("outcome", ["not_asked", "asked", "declined", "follow_up"])
def test_expectations_for_someone_who_has_not_agreed_are_404(signed_in, plan, outcome):
    sam = in_plan(plan, "Sam", outcome=outcome)
    for headers in (HTMX, {}):
        response = signed_in.post(
            expectations_url(sam), {"can_give": "Everything"}, headers=headers
        )
        assert response.status_code == 404
    sam.refresh_from_db()
    assert sam.can_give == ""


# --- Step 4: the plan -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_adding_an_item_in_place_returns_its_section(signed_in, plan, kind):
    response = signed_in.post(
        reverse("plans:item-create", args=[kind]), ITEM_POST[kind], headers=HTMX
    )
    assert response.status_code == 200
    item = MODELS[kind].objects.get(plan=plan)
    body = text(response)
    assert f'<section id="section-{kind}"' in body and "<h1>" not in body
    assert item_name(item) in body
    assert reverse("plans:item-edit", args=[kind, item.pk]) in body
    assert f"Added “{item_name(item)}”." in body


def test_an_added_item_has_what_was_typed(signed_in, member, plan):
    sam = SupportSourceFactory(owner=member, name="Sam")
    for kind in KINDS:
        data = {**ITEM_POST[kind], **({"contact": sam.pk} if kind == "relapse" else {})}
        signed_in.post(reverse("plans:item-create", args=[kind]), data)
    activity = Activity.objects.get(plan=plan)
    assert (activity.kind, activity.title, activity.weekday, activity.time, activity.place) == (
        "meeting",
        "Thursday group",
        3,
        time(18, 30),
        "Library",
    )
    relapse = RelapseItem.objects.get(plan=plan)
    assert (relapse.kind, relapse.area, relapse.description, relapse.coping) == (
        "warning_sign",
        "mood",
        "Snapping at people",
        "Go for a walk",
    )
    assert relapse.contact == sam
    goal = Goal.objects.get(plan=plan)
    assert (goal.title, goal.target, goal.progress, goal.visibility) == (
        "Sleep by eleven",
        "Five nights a week",
        10,
        "counselor",  # not chosen: what a goal was before there was a choice
    )
    page = text(signed_in.get(reverse("plans:step", args=[4])))
    assert "Thursday group</strong> · Group meeting · Thursdays at 6:30 PM · Library" in page
    row = page.split(f'<li id="relapse-{relapse.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Warning sign (mood):</strong> Snapping at people" in row
    assert "Go for a walk" in row and "Sam" in row


def test_adding_an_item_without_javascript_redirects_to_its_section(signed_in, plan):
    response = signed_in.post(reverse("plans:item-create", args=["goals"]), ITEM_POST["goals"])
    assert response.status_code == 302
    assert response.url == reverse("plans:step", args=[4]) + "#section-goals"
    assert Goal.objects.filter(plan=plan, title="Sleep by eleven").exists()


def test_a_trigger_never_keeps_an_area(signed_in, plan):
    data = {**ITEM_POST["relapse"], "kind": "trigger", "area": "body"}
    signed_in.post(reverse("plans:item-create", args=["relapse"]), data, headers=HTMX)
    item = RelapseItem.objects.get(plan=plan)
    assert item.kind == "trigger" and item.area == ""


@pytest.mark.parametrize("kind", KINDS)
def test_editing_an_item_in_place(signed_in, plan, kind):
    item = make_item(plan, kind)
    url = reverse("plans:item-edit", args=[kind, item.pk])
    form = signed_in.get(url, headers=HTMX)
    assert form.status_code == 200
    assert f'<li id="edit-{kind}-{item.pk}"' in text(form) and "<h1>" not in text(form)
    assert f"Edit “{item_name(item)}”" in text(form)
    page = signed_in.get(url)
    assert "Back to your plan" in text(page) and f'id="edit-{kind}-{item.pk}"' in text(page)

    response = signed_in.post(url, ITEM_POST[kind], headers=HTMX)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item_name(item) == ITEM_POST[kind].get("title", ITEM_POST[kind].get("description"))
    body = text(response)
    assert f'<section id="section-{kind}"' in body
    assert f"Saved “{item_name(item)}”." in body


@pytest.mark.parametrize("kind", KINDS)
def test_removing_an_item_in_place(signed_in, plan, kind):
    item = make_item(plan, kind)
    keep = make_item(plan, kind, **{"description" if kind == "relapse" else "title": "Keep me"})
    response = signed_in.post(reverse("plans:item-delete", args=[kind, item.pk]), headers=HTMX)
    assert response.status_code == 200
    assert list(MODELS[kind].objects.filter(plan=plan)) == [keep]
    body = text(response)
    assert f"Removed “{item_name(item)}”." in body
    section = body.split(f'<section id="section-{kind}"', 1)[1]
    assert "Keep me" in section and f"{kind}/{item.pk}/" not in section


def test_removing_an_item_without_javascript_redirects_to_its_section(signed_in, plan):
    goal = make_item(plan, "goals")
    response = signed_in.post(reverse("plans:item-delete", args=["goals", goal.pk]))
    assert response.status_code == 302
    assert response.url == reverse("plans:step", args=[4]) + "#section-goals"
    assert not Goal.objects.exists()


INVALID_ITEMS = [
    # kind, changes to the valid post, field, message, something typed that is kept
    ("activities", {"title": ""}, "title", "This field is required.", 'value="Library"'),
    ("activities", {"weekday": "7"}, "weekday", "Select a valid choice.", 'value="Library"'),
    ("activities", {"time": "25:99"}, "time", "Enter a valid time.", 'value="25:99"'),
    (
        "relapse",
        {"area": ""},
        "area",
        "Choose where you notice this sign: mood, body, behaviour, thinking or social.",
        "Snapping at people",
    ),
    ("relapse", {"kind": "mood_swing"}, "kind", "Select a valid choice.", "Snapping at people"),
    (
        "goals",
        {"progress": "101"},
        "progress",
        "Ensure this value is less than or equal to 100.",
        'value="Sleep by eleven"',
    ),
    ("goals", {"progress": "-1"}, "progress", "greater than or equal to 0.", 'value="-1"'),
    ("goals", {"title": "x" * 121}, "title", "at most 120 characters", "Five nights a week"),
]


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(("kind", "change", "field", "message", "kept"), INVALID_ITEMS)
def test_an_invalid_new_item_is_422_keeps_the_input_and_saves_nothing(
    signed_in, plan, kind, change, field, message, kept, htmx
):
    before = snapshot(plan)
    response = signed_in.post(
        reverse("plans:item-create", args=[kind]),
        {**ITEM_POST[kind], **change},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    prefix = {"activities": "activity", "relapse": "relapse", "goals": "goal"}[kind]
    assert message in errors_of(response, f"{prefix}_{field}")
    assert kept in text(response)
    assert ("<h1>" in text(response)) is not htmx
    assert snapshot(plan) == before


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(("kind", "change", "field", "message", "kept"), INVALID_ITEMS)
def test_an_invalid_edit_is_422_keeps_the_input_and_changes_nothing(
    signed_in, plan, kind, change, field, message, kept, htmx
):
    item = make_item(plan, kind)
    before = snapshot(plan)
    response = signed_in.post(
        reverse("plans:item-edit", args=[kind, item.pk]),
        {**ITEM_POST[kind], **change},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    prefix = {"activities": "activity", "relapse": "relapse", "goals": "goal"}[kind]
    assert message in errors_of(response, f"{prefix}{item.pk}_{field}")
    assert kept in text(response)
    assert snapshot(plan) == before


# A list with entries folds its add form behind a link, drawn only when opened
# (issue 14): with htmx the link fetches the form alone, without it the page comes
# back with that form open and focused.
PREFIXES = {"activities": "activity", "relapse": "relapse", "goals": "goal"}


def section_of(body: str, kind: str) -> str:
    return body.split(f'<section id="section-{kind}"', 1)[1].split("</section>", 1)[0]


def add_link(kind: str) -> str:
    return f'href="{reverse("plans:step", args=[4])}?add={kind}"'


def create_form(kind: str) -> str:
    return f'action="{reverse("plans:item-create", args=[kind])}#add-{kind}"'


def test_an_empty_list_shows_its_add_form_at_once(signed_in, plan):
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    for kind in KINDS:
        section = section_of(body, kind)
        assert create_form(kind) in section and add_link(kind) not in section
    assert "autofocus" not in body  # nobody asked for a form: focus stays where it was


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_with_entries_folds_its_add_form_behind_a_link(signed_in, member, plan, kind):
    SupportSourceFactory(owner=member, name="Sam")
    make_item(plan, kind)
    body = text(signed_in.get(reverse("plans:step", args=[4])))
    section = section_of(body, kind)
    assert add_link(kind) in section and f'hx-target="#add-{kind}"' in section
    assert create_form(kind) not in section and f'id="{PREFIXES[kind]}_' not in section
    # The other, empty lists still show theirs.
    for other in set(KINDS) - {kind}:
        assert create_form(other) in section_of(body, other)
    # "Who I will contact" lists the member's people only in a drawn relapse form.
    assert ('<option value="' in section_of(body, "relapse")) is (kind != "relapse")


@pytest.mark.parametrize("kind", KINDS)
def test_a_folded_add_form_is_fetched_alone_with_htmx(signed_in, member, plan, kind):
    SupportSourceFactory(owner=member, name="Sam")
    make_item(plan, kind)
    response = signed_in.get(
        reverse("plans:step", args=[4]), {"add": kind}, headers={**HTMX, "HX-Target": f"add-{kind}"}
    )
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<div id="add-{kind}"')
    assert create_form(kind) in body and add_link(kind) not in body
    assert "<h1>" not in body and "<section" not in body
    # Focus goes to the form's first answer once swapped in (htmx honours autofocus).
    first = {"activities": "kind", "relapse": "kind", "goals": "title"}[kind]
    assert re.search(rf'<(input|select)[^>]*name="{first}"[^>]*autofocus', body)
    assert body.count("autofocus") == 1
    if kind == "relapse":
        assert ">Sam</option>" in body


@pytest.mark.parametrize("kind", KINDS)
def test_a_folded_add_form_opens_in_the_page_without_javascript(signed_in, plan, kind):
    for each in KINDS:
        make_item(plan, each)
    response = signed_in.get(reverse("plans:step", args=[4]), {"add": kind})
    assert response.status_code == 200
    body = text(response)
    assert "<h1>Step 4: Your plan</h1>" in body
    section = section_of(body, kind)
    assert f'<div id="add-{kind}"' in section
    assert create_form(kind) in section and add_link(kind) not in section
    assert body.count("autofocus") == 1 and "autofocus" in section
    for other in set(KINDS) - {kind}:
        assert add_link(other) in section_of(body, other)
        assert create_form(other) not in section_of(body, other)


def test_asking_for_an_add_form_of_no_list_draws_the_page_folded(signed_in, plan):
    for kind in KINDS:
        make_item(plan, kind)
    for add in ("nope", "contacts", ""):
        response = signed_in.get(
            reverse("plans:step", args=[4]),
            {"add": add},
            headers={**HTMX, "HX-Target": f"add-{add}"},
        )
        assert response.status_code == 200 and "<h1>" in text(response)
        assert all(create_form(kind) not in text(response) for kind in KINDS)


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(("kind", "change", "field", "message", "kept"), INVALID_ITEMS[::3])
def test_a_folded_add_form_with_mistakes_comes_back_open_with_what_was_typed(
    signed_in, plan, kind, change, field, message, kept, htmx
):
    make_item(plan, kind)
    response = signed_in.post(
        reverse("plans:item-create", args=[kind]),
        {**ITEM_POST[kind], **change},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    section = section_of(text(response), kind)
    assert create_form(kind) in section and add_link(kind) not in section
    assert message in errors_of(response, f"{PREFIXES[kind]}_{field}")
    assert kept in section
    assert "autofocus" not in section  # htmx focuses the first mistake (static/js/app.js)


@pytest.mark.parametrize("kind", KINDS)
def test_after_adding_the_list_folds_its_form_again(signed_in, plan, kind):
    response = signed_in.post(
        reverse("plans:item-create", args=[kind]), ITEM_POST[kind], headers=HTMX
    )
    section = section_of(text(response), kind)
    assert add_link(kind) in section and create_form(kind) not in section


def test_a_contact_from_another_members_network_is_not_a_valid_choice(
    signed_in, member, other_member, plan
):
    theirs = SupportSourceFactory(owner=other_member, name="Their Sister")
    mine = SupportSourceFactory(owner=member, name="Sam")
    item = make_item(plan, "relapse", contact=mine)
    before = snapshot(plan)
    data = {**ITEM_POST["relapse"], "contact": theirs.pk}
    created = signed_in.post(reverse("plans:item-create", args=["relapse"]), data, headers=HTMX)
    assert created.status_code == 422
    assert "Select a valid choice." in errors_of(created, "relapse_contact")
    assert "Their Sister" not in text(created)
    edited = signed_in.post(
        reverse("plans:item-edit", args=["relapse", item.pk]), data, headers=HTMX
    )
    assert edited.status_code == 422
    assert "Select a valid choice." in errors_of(edited, f"relapse{item.pk}_contact")
    assert snapshot(plan) == before
    item.refresh_from_db()
    assert item.contact == mine


def test_staying_in_touch_is_set_per_agreed_source(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed")
    sam = in_plan(plan, "Sam", outcome="declined")
    page = text(signed_in.get(reverse("plans:step", args=[4])))
    section = page.split('<section id="section-contacts"', 1)[1].split("</section>", 1)[0]
    assert reverse("plans:cadence", args=[maria.pk]) in section
    assert "Maria" in section and "Sam" not in section

    response = signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "3"}, headers=HTMX
    )
    assert response.status_code == 200
    body = text(response)
    assert '<section id="section-contacts"' in body
    # Planned now: said in words, with a link to change it, instead of its form.
    assert "<strong>Maria</strong> · Every few days</span>" in body
    assert f"?cadence={maria.pk}" in body
    assert f'action="{reverse("plans:cadence", args=[maria.pk])}"' not in body
    assert "Saved how often you'll be in touch with Maria." in body
    maria.source.refresh_from_db()
    assert maria.source.contact_every_days == 3  # the network's planned contact

    invalid = signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "2"}, headers=HTMX
    )
    assert invalid.status_code == 422
    assert "Select a valid choice." in errors_of(invalid, f"cad{maria.pk}_contact_every_days")
    maria.source.refresh_from_db()
    assert maria.source.contact_every_days == 3

    not_agreed = signed_in.post(
        reverse("plans:cadence", args=[sam.pk]), {"contact_every_days": "1"}, headers=HTMX
    )
    assert not_agreed.status_code == 404
    sam.source.refresh_from_db()
    assert sam.source.contact_every_days is None


def test_a_planned_contact_opens_its_form_when_asked(signed_in, plan, django_assert_num_queries):
    maria = in_plan(plan, "Maria", outcome="agreed", contact_every_days=7)
    ray = in_plan(plan, "Ray", outcome="agreed")  # nothing planned yet: its form at once
    step4 = reverse("plans:step", args=[4])
    page = text(signed_in.get(step4))
    assert f'id="cadence-{ray.pk}" class="cadence" method="post"' in page
    assert f'<p id="cadence-{maria.pk}" class="cadence">' in page
    assert f'name="contact_every_days" id="cad{maria.pk}_contact_every_days"' not in page

    # With htmx, the link fetches that form alone, focused, with the plan chosen.
    headers = {**HTMX, "HX-Target": f"cadence-{maria.pk}"}
    with django_assert_num_queries(3):  # session, user, the plan source
        fragment = signed_in.get(step4, {"cadence": maria.pk}, headers=headers)
    body = text(fragment)
    assert body.lstrip().startswith(f'<form id="cadence-{maria.pk}" class="cadence"')
    assert "<h1>" not in body
    assert "autofocus" in body
    assert re.search(r'<option value="7" selected>Every week</option>', body)

    # Without it, the page comes back with that form open and focused.
    page = text(signed_in.get(step4, {"cadence": maria.pk}))
    assert "<h1>Step 4: Your plan</h1>" in page
    assert f'id="cadence-{maria.pk}" class="cadence" method="post"' in page
    assert page.count("autofocus") == 1

    # Another member's, an unknown or a mistyped one: 404, or the page as it was.
    other = Plan.objects.create(owner=UserFactory())
    stranger = in_plan(other, "Someone", outcome="agreed", contact_every_days=7)
    headers = {**HTMX, "HX-Target": f"cadence-{stranger.pk}"}
    assert signed_in.get(step4, {"cadence": stranger.pk}, headers=headers).status_code == 404
    for odd in ["x", "-1", "٣", "9" * 40]:
        response = signed_in.get(step4, {"cadence": odd}, headers={**HTMX, "HX-Target": "x"})
        assert response.status_code == 200
        assert f'<p id="cadence-{maria.pk}" class="cadence">' in text(response)


def test_an_invalid_cadence_without_javascript_is_shown_on_the_page(signed_in, plan):
    maria = in_plan(plan, "Maria", outcome="agreed", contact_every_days=7)
    response = signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "2"}
    )
    assert response.status_code == 422
    assert "<h1>Step 4: Your plan</h1>" in text(response)
    assert "Select a valid choice." in errors_of(response, f"cad{maria.pk}_contact_every_days")
    maria.source.refresh_from_db()
    assert maria.source.contact_every_days == 7


def test_the_first_24_hours_are_saved_with_the_plan(signed_in, plan):
    words = "Tell Maria.\nGo to the evening meeting."
    response = signed_in.post(
        reverse("plans:first-day"), {"first_day_after_slip": words}, headers=HTMX
    )
    assert response.status_code == 200
    assert '<section id="section-first-day"' in text(response)
    assert "Saved your first-day plan." in text(response)
    plan.refresh_from_db()
    assert plan.first_day_after_slip == words

    too_long = signed_in.post(
        reverse("plans:first-day"), {"first_day_after_slip": "y" * 2001}, headers=HTMX
    )
    assert too_long.status_code == 422
    assert "at most 2000 characters" in errors_of(too_long, "id_first_day_after_slip")
    assert "y" * 2001 in text(too_long)
    plan.refresh_from_db()
    assert plan.first_day_after_slip == words


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/plan/items/nope/"),
        ("get", "/plan/items/nope/1/"),
        ("post", "/plan/items/nope/1/"),
        ("post", "/plan/items/nope/1/delete/"),
        ("post", "/plan/items/activity/1/delete/"),
    ],
)
def test_unknown_item_kinds_are_404(signed_in, plan, method, url):
    goal = make_item(plan, "goals")
    url = url.replace("/1/", f"/{goal.pk}/")
    response = getattr(signed_in, method)(url, ITEM_POST["goals"], headers=HTMX)
    assert response.status_code == 404
    assert list(Goal.objects.values_list("title", flat=True)) == ["Walk daily"]


# --- Activating -------------------------------------------------------------------


def test_activating_makes_the_plan_active(signed_in, plan):
    # Someone to reach in a crisis makes it safe to activate, the rest still to do.
    in_plan(plan, "Maria", outcome="agreed", crisis_contact=True)
    assert "Activate anyway" in text(signed_in.get(reverse("plans:step", args=[4])))
    response = signed_in.post(reverse("plans:activate"))
    assert response.status_code == 302
    assert response.url == reverse("plans:print")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and plan.is_active
    assert timezone.now() - plan.activated_at < timedelta(minutes=1)
    page = text(signed_in.get(reverse("plans:step", args=[4])))
    assert "Activate anyway" not in page and "Your support plan · active" in page
    activated_at = plan.activated_at
    signed_in.post(reverse("plans:activate"))
    plan.refresh_from_db()
    assert plan.activated_at == activated_at  # activating twice changes nothing
    assert Plan.objects.filter(owner=plan.owner).count() == 1


def test_the_database_refuses_a_second_active_plan(member, other_member, plan):
    services.plan_activate(plan=plan, author=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(owner=member, status=Plan.Status.ACTIVE)
    Plan.objects.create(owner=member, status=Plan.Status.DRAFT)  # a draft is allowed
    Plan.objects.create(owner=other_member, status=Plan.Status.ACTIVE)  # and others' plans
    assert Plan.objects.filter(owner=member, status="active").count() == 1


# --- Other people's plans -----------------------------------------------------------


@pytest.fixture
def their_plan(other_member):
    """Another member's active plan with one agreed source and one item of each kind."""
    theirs = services.plan_start(owner=other_member)
    in_plan(theirs, "Their Sister", outcome="agreed", can_give="Sundays", contact_every_days=7)
    for kind in KINDS:
        make_item(theirs, kind)
    services.plan_activate(plan=theirs, author=other_member)
    return theirs


PK_URLS = [
    ("post", "plans:ask", None),
    ("post", "plans:expectations", None),
    ("post", "plans:cadence", None),
    *(
        (method, name, kind)
        for kind in KINDS
        for method, name in [
            ("get", "plans:item-edit"),
            ("post", "plans:item-edit"),
            ("post", "plans:item-delete"),
        ]
    ),
]
PK_POSTS = {
    "plans:ask": {"outcome": "declined", "ask_support": ["practical"]},
    "plans:expectations": {"can_give": "Nothing", "my_boundaries": "Changed"},
    "plans:cadence": {"contact_every_days": "1"},
}


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(("method", "name", "kind"), PK_URLS)
def test_another_members_objects_are_404_from_every_url(
    signed_in, plan, their_plan, method, name, kind, htmx
):
    if kind:
        target = MODELS[kind].objects.get(plan=their_plan)
        args = [kind, target.pk]
        data = ITEM_POST[kind]
    else:
        args = [their_plan.plan_sources.get().pk]
        data = PK_POSTS[name]
    before = snapshot(their_plan)
    response = getattr(signed_in, method)(
        reverse(name, args=args), data if method == "post" else None, headers=HTMX if htmx else {}
    )
    assert response.status_code == 404
    assert "Their Sister" not in text(response) and "Walk daily" not in text(response)
    assert snapshot(their_plan) == before
    assert snapshot(plan)["items"] == {kind: [] for kind in KINDS}  # nothing moved to mine


# --- Signed out -------------------------------------------------------------------

ALL_URLS = [
    ("get", "plans:home", []),
    ("get", "plans:step", [1]),
    ("post", "plans:step", [1]),
    ("get", "plans:step", [4]),
    ("post", "plans:add-source", []),
    ("post", "plans:ask", [1]),
    ("post", "plans:expectations", [1]),
    ("post", "plans:cadence", [1]),
    ("post", "plans:first-day", []),
    ("post", "plans:item-create", ["goals"]),
    ("get", "plans:item-edit", ["goals", 1]),
    ("post", "plans:item-edit", ["goals", 1]),
    ("post", "plans:item-delete", ["goals", 1]),
    ("post", "plans:activate", []),
    ("get", "plans:print", []),
    ("get", "plans:changes", []),
    ("get", "plans:checkin", []),
    ("post", "plans:checkin", []),
    ("get", "plans:history", []),
    ("get", "plans:schedule", []),
    ("post", "plans:schedule", []),
    ("get", "plans:reminder-link", ["not-a-real-token"]),
]


def test_every_plans_url_is_listed_for_the_signed_out_check():
    from plans.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name.split(":")[1] for _, name, _ in ALL_URLS}


@pytest.mark.parametrize(("method", "name", "args"), ALL_URLS)
def test_signed_out_visitors_are_sent_to_sign_in(client, db, method, name, args):
    url = reverse(name, args=args)
    response = getattr(client, method)(url, {"name": "Maria", "category": "family"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url
    assert not Plan.objects.exists() and not SupportSource.objects.exists()


# --- Reading the plan ---------------------------------------------------------------


def test_the_printable_plan_lists_crisis_contacts_before_the_plan(signed_in, member, plan):
    SupportSourceFactory(owner=member, name="Ray", crisis_contact=True, phone="+1 555 303 1200")
    SupportSourceFactory(owner=member, name="Tony", crisis_contact=True, influence="risk")
    SupportSourceFactory(owner=member, name="Quiet Friend", crisis_contact=False)
    SupportSourceFactory(
        owner=member, name="Gone Friend", crisis_contact=True, deleted_at=timezone.now()
    )
    in_plan(plan, "Maria", outcome="agreed", can_give="A call on Sundays", contact_every_days=7)
    in_plan(plan, "Sam", outcome="declined")
    make_item(plan, "activities")
    make_item(plan, "relapse")
    make_item(plan, "goals")
    plan.first_day_after_slip = "Tell Maria."
    plan.save()

    body = text(signed_in.get(reverse("plans:print")))
    crisis = body.split('<h2 id="p-crisis">', 1)[1].split("</section>", 1)[0]
    assert '<strong>Ray</strong> (friend) · <a href="tel:+1 555 303 1200">' in crisis
    assert "988" in crisis
    for absent in ("Tony", "Quiet Friend", "Gone Friend"):
        assert absent not in body
    assert body.index("Ray") < body.index('id="p-people"')
    for section in ("p-people", "p-activities", "p-relapse", "p-first-day", "p-goals"):
        assert body.index('id="p-crisis"') < body.index(f'id="{section}"')
    people = body.split('<h2 id="p-people">', 1)[1].split("</section>", 1)[0]
    assert "<strong>Maria</strong>: A call on Sundays. We stay in touch every week." in people
    assert "Sam" not in people
    assert "Tuesday 7:00 PM: Tuesday group, Church hall" in body
    assert "Trigger: Payday</td><td>Give my card to Sam</td>" in body
    assert "Tell Maria." in body and "Walk daily (30 minutes): 20%" in body


@pytest.mark.parametrize("since", ["garbage", "2025-13-45", "", "2025-02-30x"])
def test_the_changes_page_ignores_a_bad_since_date(signed_in, member, plan, since):
    response = signed_in.get(reverse("plans:changes"), {"since": since})
    assert response.status_code == 200
    # Dates are the member's own (America/New_York in the factory).
    default = timezone.localdate(timezone=ZoneInfo(member.time_zone)) - timedelta(days=30)
    assert response.context["since"] == default
    assert f'value="{default:%Y-%m-%d}"' in text(response)
    assert "Changes are recorded once your plan is active." in text(response)


@pytest.mark.parametrize(
    ("name", "category", "greeting"),
    [
        ("Maria Lopez", "family", "Hi Maria,"),
        ("Dr. Chen", "medical", "Hi Dr. Chen,"),
        # A group is greeted as the people in it, never as "Hi Tuesday Night AA,".
        ("Tuesday SMART group", "support_group", "Hi everyone at Tuesday SMART group,"),
        ("St Mark's", "faith", "Hi everyone at St Mark's,"),
    ],
)
def test_the_drafted_message_greets_people_and_groups_naturally(name, category, greeting):
    from plans.messages import draft_message

    ask = PlanSource(source=SupportSource(name=name, category=category), ask_support=[])
    assert draft_message(ask, sender="Jordan").startswith(greeting)


@pytest.mark.parametrize(
    ("category", "spoken_to"),
    [
        ("family", ["pensé en ti", "¿Podrías", "te parece"]),
        ("support_group", ["pensé en ustedes", "¿Podrían", "les parece"]),
    ],
)
def test_in_spanish_a_group_is_asked_as_many_and_a_person_as_one(category, spoken_to):
    """English says "you" to one or many; Spanish does not."""
    from plans.messages import draft_message

    ask = PlanSource(
        source=SupportSource(name="Martes de AA", category=category),
        ask_support=["emotional"],
        ask_how_often=7,
    )
    with translation.override("es"):
        message = draft_message(ask, sender="Lucía")
    assert all(words in message for words in spoken_to), message
