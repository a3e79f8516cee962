"""Each plan page and HTMX endpoint runs a fixed number of queries, however big the plan."""

import html
from datetime import time

import pytest
from django.urls import reverse

from networks.models import SupportSource
from plans import services
from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem, Revision
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

# size: (sources in the plan, items of each kind)
SIZES = {"small": (2, 1), "large": (30, 20)}


def build(member, size: str) -> tuple[Plan, dict[str, list]]:
    """An active plan: half the sources agreed (with expectations and contact), half
    declined; activities, relapse items (each with a contact) and goals."""
    n_sources, n_items = SIZES[size]
    plan = services.plan_start(owner=member)
    sources = []
    for i in range(n_sources):
        source = SupportSourceFactory(
            owner=member,
            name=f"Person {i:02}",
            email=f"person{i}@example.org",
            phone=f"+1 555 000 {i:04}",
            crisis_contact=True,
            contact_every_days=7 if i % 2 == 0 else None,
        )
        agreed = i % 2 == 0
        PlanSource.objects.create(
            plan=plan,
            source=source,
            outcome="agreed" if agreed else "declined",
            ask_support=["emotional", "practical"],
            ask_how_often=1,
            asked_on="2025-03-01",
            can_give="Calls" if agreed else "",
            can_give_how_often=7 if agreed else None,
        )
        sources.append(source)
    SupportSourceFactory(owner=member, name="Not in the plan")
    activities = Activity.objects.bulk_create(
        Activity(plan=plan, title=f"Group {i}", weekday=i % 7, time=time(19, 0), place="Hall")
        for i in range(n_items)
    )
    relapse_items = RelapseItem.objects.bulk_create(
        RelapseItem(
            plan=plan,
            kind="warning_sign",
            area="mood",
            description=f"Sign {i}",
            coping="Call",
            contact=sources[i % n_sources],
        )
        for i in range(n_items)
    )
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, title=f"Goal {i}", progress=i) for i in range(n_items)
    )
    plan.first_day_after_slip = "Tell someone."
    plan.save()
    services.plan_activate(plan=plan, author=member)
    return plan, {"activities": activities, "relapse": relapse_items, "goals": goals}


# Every request: the session, the user. Then, for a page:
#   plan (get_or_create), plan sources with their source, item counts (one aggregate);
#   step 1 adds the network; step 4 counts from its lists instead: activities, relapse
#   items (with contact) and goals (the member's sources, for "Who I will contact", only
#   when the relapse form is drawn: with entries it is folded until opened); print has
#   no counts but the crisis contacts, then the three item lists. Each
#   step also reads its counselor comments, and how many notes from counselors are new
#   (the badge in the plan's header).
PAGES = {
    "step-1": (reverse("plans:step", args=[1]), 8),
    "step-2": (reverse("plans:step", args=[2]), 7),
    "step-3": (reverse("plans:step", args=[3]), 7),
    "step-4": (reverse("plans:step", args=[4]), 9),
    # Opened without JavaScript (?add=relapse): the relapse form drawn, with its people.
    "step-4-adding": (reverse("plans:step", args=[4]) + "?add=relapse", 10),
    "print": (reverse("plans:print"), 8),
    # The active plan's overview (plans:home): each step and what it misses, from the
    # same reads as a step's, without comments.
    "overview": (reverse("plans:home"), 6),
}

NEW = {
    "activities": {"kind": "session", "title": "Therapy", "weekday": "4", "time": "10:00"},
    "relapse": {
        "kind": "warning_sign",
        "area": "body",
        "description": "Not sleeping",
        "coping": "Early night",
    },
    "goals": {"title": "Sleep by eleven", "progress": "5"},
}
EDIT = {
    "activities": {"kind": "meeting", "title": "Group 0", "weekday": "2", "time": "18:00"},
    "relapse": {
        "kind": "warning_sign",
        "area": "thinking",
        "description": "Sign 0",
        "coping": "Call",
    },
    "goals": {"title": "Goal 0", "progress": "50"},
}

# (kind, action): queries. After session and user, the item (or the plan, to create),
# a savepoint, the write, the revision and the release, then the section's own list.
# The section comes back with its add form folded (its list has entries), so the
# member's sources for the relapse form's "Who I will contact" are listed only by its
# edit form; removing the last entry draws the empty list's form, with them: one more.
# A relapse edit that changes the contact checks it and names it before and after.
# Removing an item kept from supporters (all of these) keeps its changes from them
# too: one update.
ENDPOINTS = {
    ("activities", "create"): 8,
    ("activities", "edit-form"): 3,
    ("activities", "edit"): 8,
    ("activities", "delete"): 9,
    ("relapse", "create"): 8,
    ("relapse", "edit-form"): 4,
    ("relapse", "edit"): 11,
    ("relapse", "delete"): 11,  # also unlinks it from check-ins and comments
    ("goals", "create"): 8,
    ("goals", "edit-form"): 3,
    ("goals", "edit"): 8,
    ("goals", "delete"): 10,  # comments about it stay, about its step
}


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_runs_a_fixed_number_of_queries(
    signed_in, member, size, page, django_assert_num_queries
):
    build(member, size)
    url, queries = PAGES[page]
    with django_assert_num_queries(queries):
        response = signed_in.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    n_sources, n_items = SIZES[size]
    # The page really shows the whole plan (so the count covers all of it).
    if page in ("step-1", "step-2"):
        assert f"Person {n_sources - 1:02}" in body
    if page in ("step-3", "step-4", "step-4-adding", "print", "overview"):
        assert f"Person {n_sources - 2:02}" in body
    if page in ("step-4", "step-4-adding", "print"):
        assert f"Group {n_items - 1}" in body and f"Sign {n_items - 1}" in body
        assert f"Goal {n_items - 1}" in body
    if page == "step-4-adding":
        assert f">Person {n_sources - 1:02}</option>" in body


# A folded add form of step 4 opened with htmx (?add=<kind>): the session and the user,
# nothing of the plan; the relapse form also lists the member's people.
ADD_FORMS = {"activities": 2, "relapse": 3, "goals": 2}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("kind", list(ADD_FORMS))
def test_a_folded_add_form_is_fetched_in_a_fixed_number_of_queries(
    signed_in, member, size, kind, django_assert_num_queries
):
    build(member, size)
    url = reverse("plans:step", args=[4])
    with django_assert_num_queries(ADD_FORMS[kind]):
        response = signed_in.get(url, {"add": kind}, headers={**HTMX, "HX-Target": f"add-{kind}"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'action="{reverse("plans:item-create", args=[kind])}#add-{kind}"' in body
    if kind == "relapse":
        assert f">Person {SIZES[size][0] - 1:02}</option>" in body


def item_name(item) -> str:
    return item.description if isinstance(item, RelapseItem) else item.title


def _request_for(items: dict, kind: str, action: str) -> tuple[str, str, dict | None]:
    """method, url and data; any lookups happen here, before the queries are counted."""
    item = items[kind][0]
    if action == "create":
        return "post", reverse("plans:item-create", args=[kind]), NEW[kind]
    if action == "edit-form":
        return "get", reverse("plans:item-edit", args=[kind, item.pk]), None
    if action == "edit":
        data = {**EDIT[kind]}
        if kind == "relapse":  # a new contact: the change is recorded with both names
            data["contact"] = SupportSource.objects.get(name="Not in the plan").pk
        return "post", reverse("plans:item-edit", args=[kind, item.pk]), data
    return "post", reverse("plans:item-delete", args=[kind, item.pk]), None


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("kind", "action"), list(ENDPOINTS))
def test_each_item_endpoint_runs_a_fixed_number_of_queries(
    signed_in, member, size, kind, action, django_assert_num_queries
):
    plan, items = build(member, size)
    model = {"activities": Activity, "relapse": RelapseItem, "goals": Goal}[kind]
    before = model.objects.filter(plan=plan).count()
    method, url, data = _request_for(items, kind, action)
    emptied = action == "delete" and before == 1  # its add form drawn open again
    queries = ENDPOINTS[kind, action] + (kind == "relapse" and emptied)
    with django_assert_num_queries(queries):
        response = getattr(signed_in, method)(url, data, headers=HTMX)
    assert response.status_code == 200
    after = model.objects.filter(plan=plan).count()
    assert after - before == {"create": 1, "delete": -1}.get(action, 0)
    body = html.unescape(response.content.decode())
    expected = {
        "create": f"Added “{NEW[kind].get('title', NEW[kind].get('description'))}”.",
        "edit-form": f'<li id="edit-{kind}-{items[kind][0].pk}"',
        "edit": f"Saved “{EDIT[kind].get('title', EDIT[kind].get('description'))}”.",
        "delete": f"Removed “{item_name(items[kind][0])}”.",
    }[action]
    assert expected in body
    # Changes to the active plan were recorded (and counted above).
    assert Revision.objects.filter(plan=plan).exists() is (action != "edit-form")


# Saving a card as the member goes (static/js/plan.js): session, user, the card with
# its plan and source, a savepoint, the write, the revision, the release (7 for an
# ask). Step 3 saves inside one more savepoint (its "how often" is carried to the
# contact in the same transaction, where none is planned: none here, the built
# agreed sources all have one) and reads the plan's sources for its warnings: 10.
# Neither grows with the plan.
AUTOSAVES = {"ask": 7, "expectations": 10}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("card", list(AUTOSAVES))
def test_saving_a_card_as_the_member_goes_runs_a_fixed_number_of_queries(
    signed_in, member, size, card, django_assert_num_queries
):
    plan, _ = build(member, size)
    plan_source = plan.plan_sources.filter(outcome="agreed").order_by("pk").first()
    url = reverse(f"plans:{card}", args=[plan_source.pk])
    data = (
        {"ask_support": ["emotional"], "outcome": "agreed", "asked_on": "2025-03-01"}
        if card == "ask"
        else {"can_give": "Calls on Sundays", "can_give_how_often": "7"}
    )
    with django_assert_num_queries(AUTOSAVES[card]):
        response = signed_in.post(url, data, headers={**HTMX, "X-Autosave": "true"})
    assert response.status_code == 200
    assert f"-{plan_source.pk}-state" in response.content.decode()


def test_the_relapse_forms_people_are_read_once_in_an_ordinary_query(member):
    """Step 4's relapse form names whom to contact from the member's people: read once,
    not asked again for "is there anything?" and not through a server-side cursor."""
    from plans.forms import RelapseItemForm
    from recovery_support.forms import ChoicesReadOnce

    SupportSourceFactory(owner=member, name="Ana")
    form = RelapseItemForm(owner=member)
    assert isinstance(form.fields["contact"].widget.choices, ChoicesReadOnce)
    assert [label for _, label in form.fields["contact"].widget.choices][1:] == ["Ana"]
