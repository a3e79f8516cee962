"""Who sees each entry of the member's plan: one choice per goal, activity, relapse
item, boundary and the first 24 hours ("Only me", "Me and my counselor", "My
counselor and supporters"), followed by every reader: the counselor's page, the
supporter's page, what each of them can export, and the plan's revisions."""

import html
import json
from datetime import time

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from plans import services
from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem, Revision
from sharing.models import Grant
from sharing.my_data import export_for
from tests.factories import SupportSourceFactory

HTMX = {"HX-Request": "true"}
KINDS = ["goal", "activity", "relapse_item", "first_day", "boundaries"]
# Who sees an entry with each choice: (the counselor, a supporter).
CHOICES = {
    "only_me": (False, False),
    "counselor": (True, False),
    "supporters": (True, True),
}
SECRET = "Zebra crossing"  # the words of the entry, wherever they go


@pytest.fixture
def plan(member, their_supporter):
    """An active plan with one agreed person, the supporter, who is shown what the plan
    asks of them."""
    plan = Plan.objects.create(owner=member)
    services.plan_activate(plan=plan, author=member)
    source = SupportSourceFactory(owner=member, name="Robin", email=their_supporter.email)
    PlanSource.objects.create(plan=plan, source=source, outcome="agreed", can_give="Calls")
    Grant.objects.filter(grantee=their_supporter).update(source=source, share_agreement=True)
    return plan


def entry(plan: Plan, kind: str, choice: str, words: str = SECRET):
    """One entry of `kind` saying `words`, seen by `choice`: the row it lives on."""
    if kind == "goal":
        return Goal.objects.create(plan=plan, title=words, visibility=choice)
    if kind == "activity":
        return Activity.objects.create(
            plan=plan, title=words, weekday=2, time=time(18, 0), visibility=choice
        )
    if kind == "relapse_item":
        return RelapseItem.objects.create(
            plan=plan, kind="trigger", description=words, coping="Walk", visibility=choice
        )
    if kind == "first_day":
        Plan.objects.filter(pk=plan.pk).update(
            first_day_after_slip=words, first_day_visibility=choice
        )
        return Plan.objects.get(pk=plan.pk)
    PlanSource.objects.filter(plan=plan).update(my_boundaries=words, boundaries_visibility=choice)
    return PlanSource.objects.get(plan=plan)


def page(client, name: str, member) -> str:
    response = client.get(reverse(name, args=[member.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_counselor_no_longer_sees_a_goal_set_to_only_me(signed_in, member, counselor_client):
    plan = Plan.objects.create(owner=member)
    goal = Goal.objects.create(plan=plan, title="Stop smoking too")
    page = reverse("sharing:client", args=[member.pk])
    assert "Stop smoking too" in counselor_client.get(page).content.decode()

    response = signed_in.post(
        reverse("plans:item-edit", args=["goals", goal.pk]),
        {"title": "Stop smoking too", "target": "", "progress": "0", "visibility": "only_me"},
    )

    assert response.status_code == 302
    assert "Stop smoking too" not in counselor_client.get(page).content.decode()


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_reader_sees_an_entry_exactly_as_chosen(
    kind, choice, plan, member, counselor_client, supporter_client, their_counselor, their_supporter
):
    entry(plan, kind, choice)
    counselor_sees, supporter_sees = CHOICES[choice]

    assert (SECRET in page(counselor_client, "sharing:client", member)) is counselor_sees
    assert (SECRET in page(supporter_client, "sharing:supporting", member)) is supporter_sees
    # Nothing of the member's plan is in what a counselor or supporter can take away.
    for grantee in (their_counselor, their_supporter):
        assert SECRET not in json.dumps(export_for(grantee), cls=DjangoJSONEncoder)
    assert SECRET in json.dumps(export_for(member), cls=DjangoJSONEncoder, ensure_ascii=False)


def test_a_supporter_sees_boundaries_only_when_shown_what_the_plan_asks_of_them(
    plan, member, supporter_client, their_supporter
):
    entry(plan, "boundaries", "supporters")
    Grant.objects.filter(grantee=their_supporter).update(share_agreement=False)
    assert SECRET not in page(supporter_client, "sharing:supporting", member)


def test_a_supporter_never_reads_whom_a_shared_relapse_item_names(
    plan, member, supporter_client, counselor_client
):
    sponsor = SupportSourceFactory(owner=member, name="Sponsor Kim")
    RelapseItem.objects.create(
        plan=plan,
        kind="trigger",
        description=SECRET,
        coping="Walk",
        contact=sponsor,
        visibility="supporters",
    )
    seen = page(supporter_client, "sharing:supporting", member)
    assert SECRET in seen and "Sponsor Kim" not in seen
    assert "Sponsor Kim" in page(counselor_client, "sharing:client", member)


def test_the_supporter_sees_no_plan_when_the_member_turns_it_off(
    plan, member, signed_in, supporter_client, their_supporter
):
    entry(plan, "goal", "supporters")
    grant = Grant.objects.get(grantee=their_supporter)
    assert SECRET in page(supporter_client, "sharing:supporting", member)

    signed_in.post(reverse("sharing:grant-settings", args=[grant.pk]), {"show_streak": "on"})

    seen = page(supporter_client, "sharing:supporting", member)
    assert SECRET not in seen
    assert "keeps their plan to themselves" in seen


# --- Revisions ------------------------------------------------------------------------


def edit_words(client, kind: str, item, words: str) -> None:
    """The member changes the entry's words, keeping its choice (not sent: kept)."""
    if kind == "goal":
        url, data = reverse("plans:item-edit", args=["goals", item.pk]), {"title": words}
        data |= {"progress": "0"}
    elif kind == "activity":
        url = reverse("plans:item-edit", args=["activities", item.pk])
        data = {"kind": "meeting", "title": words, "weekday": "2", "time": "18:00"}
    elif kind == "relapse_item":
        url = reverse("plans:item-edit", args=["relapse", item.pk])
        data = {"kind": "trigger", "description": words, "coping": "Walk"}
    elif kind == "first_day":
        url, data = reverse("plans:first-day"), {"first_day_after_slip": words}
    else:
        url = reverse("plans:expectations", args=[item.pk])
        data = {"can_give": item.can_give, "my_boundaries": words}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:1000]


def set_choice(client, kind: str, item, words: str, choice: str) -> None:
    data = {
        "goal": ("goals", {"title": words, "progress": "0", "visibility": choice}),
        "activity": (
            "activities",
            {"kind": "meeting", "title": words, "weekday": "2", "time": "18:00"},
        ),
        "relapse_item": ("relapse", {"kind": "trigger", "description": words, "coping": "Walk"}),
    }
    if kind in data:
        name, fields = data[kind]
        url = reverse("plans:item-edit", args=[name, item.pk])
        fields["visibility"] = choice
    elif kind == "first_day":
        url = reverse("plans:first-day")
        fields = {"first_day_after_slip": words, "first_day_visibility": choice}
    else:
        url = reverse("plans:expectations", args=[item.pk])
        fields = {"can_give": "Calls", "my_boundaries": words, "boundaries_visibility": choice}
    response = client.post(url, fields, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:1000]


def readers_of_the_last_change(plan: Plan) -> tuple[bool, bool]:
    revision = plan.revisions.order_by("-created_at", "-pk").first()
    assert revision is not None
    rows = Revision.objects.filter(pk=revision.pk)
    return rows.visible_to("counselor").exists(), rows.visible_to("supporter").exists()


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_change_is_read_by_whom_its_entry_is_shown(
    kind, choice, plan, member, signed_in, counselor_client
):
    item = entry(plan, kind, choice, words="Old words")
    edit_words(signed_in, kind, item, SECRET)

    counselor_reads, supporter_reads = readers_of_the_last_change(plan)
    counselor_sees, supporter_sees = CHOICES[choice]
    assert counselor_reads is counselor_sees
    # A person's boundaries name them, and supporters never read about the network.
    assert supporter_reads is (supporter_sees and kind != "boundaries")
    assert Revision.objects.filter(plan=plan).visible_to(None).count() == 1  # the member
    assert (SECRET in page(counselor_client, "sharing:client", member)) is counselor_sees


@pytest.mark.parametrize("kind", KINDS)
def test_narrowing_the_choice_hides_the_older_changes_too(
    kind, plan, member, signed_in, counselor_client
):
    item = entry(plan, kind, "supporters", words="Old words")
    edit_words(signed_in, kind, item, SECRET)
    assert readers_of_the_last_change(plan)[0]

    set_choice(signed_in, kind, item, SECRET, "only_me")

    assert not Revision.objects.filter(plan=plan).visible_to("counselor").exists()
    assert not Revision.objects.filter(plan=plan).visible_to("supporter").exists()
    seen = page(counselor_client, "sharing:client", member)
    assert SECRET not in seen and "Old words" not in seen


def test_a_change_of_choice_is_read_only_by_whom_both_choices_allow(plan, member, signed_in):
    goal = entry(plan, "goal", "counselor")
    set_choice(signed_in, "goal", goal, SECRET, "supporters")
    assert readers_of_the_last_change(plan) == (True, False)  # the counselor saw it before
    set_choice(signed_in, "goal", goal, SECRET, "only_me")
    assert readers_of_the_last_change(plan) == (False, False)


def test_removing_an_entry_keeps_its_changes_from_whom_it_was_kept(plan, member, signed_in):
    goal = entry(plan, "goal", "counselor", words="Old words")
    edit_words(signed_in, "goal", goal, SECRET)
    goal.refresh_from_db()
    set_choice(signed_in, "goal", goal, SECRET, "only_me")
    signed_in.post(reverse("plans:item-delete", args=["goals", goal.pk]), headers=HTMX)
    assert not Goal.objects.exists()
    assert not Revision.objects.filter(plan=plan).visible_to("counselor").exists()
    assert Revision.objects.filter(plan=plan).visible_to(None).count() == 3


# --- Nothing newly shows or hides -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_old_flags_carry_over_so_that_nothing_newly_shows_or_hides(member):
    """Before: a goal was shown to supporters (`shared`) or else to the counselor only;
    a relapse item kept private (`is_private`) was hidden from the counselor; so was a
    revision kept private."""
    executor = MigrationExecutor(connection)
    executor.migrate([("plans", "0009_days_where_they_were_made")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO plans_plan (owner_id, status, first_day_after_slip, created_at,"
            " updated_at) VALUES (%s, 'active', 'Call Robin', now(), now()) RETURNING id",
            [member.pk],
        )
        plan_id = cursor.fetchone()[0]
        for title, shared in [("Shared goal", True), ("Counselor's goal", False)]:
            cursor.execute(
                "INSERT INTO plans_goal (plan_id, title, target, progress, shared)"
                " VALUES (%s, %s, '', 0, %s)",
                [plan_id, title, shared],
            )
        for description, private in [("Private sign", True), ("Shared sign", False)]:
            cursor.execute(
                "INSERT INTO plans_relapseitem (plan_id, kind, area, description, coping,"
                " is_private) VALUES (%s, 'trigger', '', %s, 'Walk', %s)",
                [plan_id, description, private],
            )
        for private in (True, False):
            cursor.execute(
                "INSERT INTO plans_revision (plan_id, author_id, created_at, changes,"
                " is_private, source_ids, relapse_item_ids) VALUES"
                " (%s, %s, now(), %s, %s, '{}', '{}')",
                [plan_id, member.pk, json.dumps([{"what": "Goal “Shared goal”"}]), private],
            )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("plans"))

    assert dict(Goal.objects.values_list("title", "visibility")) == {
        "Shared goal": "supporters",
        "Counselor's goal": "counselor",
    }
    assert dict(RelapseItem.objects.values_list("description", "visibility")) == {
        "Private sign": "only_me",
        "Shared sign": "counselor",
    }
    assert Plan.objects.get(pk=plan_id).first_day_visibility == "counselor"
    assert sorted(Revision.objects.values_list("visibility", flat=True)) == [
        "counselor",
        "only_me",
    ]
    shared_goal = Goal.objects.get(title="Shared goal")
    assert all(r.goal_ids == [shared_goal.pk] for r in Revision.objects.all())
