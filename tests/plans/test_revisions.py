import html
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from networks import services as network_services
from plans import services
from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem, Revision
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


# --- Small builders -----------------------------------------------------------


@pytest.fixture
def draft(member) -> Plan:
    return services.plan_start(owner=member)


@pytest.fixture
def active(member, draft) -> Plan:
    return services.plan_activate(plan=draft, author=member)


def in_plan(plan: Plan, name: str, **fields) -> PlanSource:
    cadence = fields.pop("contact_every_days", None)
    source = SupportSourceFactory(owner=plan.owner, name=name, contact_every_days=cadence)
    return PlanSource.objects.create(plan=plan, source=source, **fields)


def activity(plan: Plan, **fields) -> Activity:
    defaults = {
        "kind": "meeting",
        "title": "Tuesday group",
        "weekday": 1,
        "time": time(19, 0),
        "place": "Church hall",
    }
    return Activity.objects.create(plan=plan, **{**defaults, **fields})


def relapse_item(plan: Plan, **fields) -> RelapseItem:
    defaults = {"kind": "trigger", "description": "Payday", "coping": "Give my card to Sam"}
    return RelapseItem.objects.create(plan=plan, **{**defaults, **fields})


def goal(plan: Plan, **fields) -> Goal:
    defaults = {"title": "Walk daily", "target": "30 minutes", "progress": 20}
    return Goal.objects.create(plan=plan, **{**defaults, **fields})


def activity_post(item: Activity, **changes) -> dict:
    data = {
        "kind": item.kind,
        "title": item.title,
        "weekday": str(item.weekday),
        "time": item.time.strftime("%H:%M"),
        "place": item.place,
    }
    return {**data, **changes}


def relapse_post(item: RelapseItem, **changes) -> dict:
    data = {
        "kind": item.kind,
        "area": item.area,
        "description": item.description,
        "coping": item.coping,
        "contact": item.contact_id or "",
    }
    return {**data, **changes}


def goal_post(item: Goal, **changes) -> dict:
    data = {"title": item.title, "target": item.target, "progress": str(item.progress)}
    return {**data, "visibility": item.visibility, **changes}


def edit(client, kind: str, item, data: dict):
    response = client.post(reverse("plans:item-edit", args=[kind, item.pk]), data, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def changes_of(plan: Plan) -> list[list[dict]]:
    """Every revision's changes, oldest first."""
    words = ("what", "field", "before", "after")
    return [
        [{key: change[key] for key in words} for change in r.changes]
        for r in plan.revisions.order_by("created_at", "pk")
    ]


def change(what: str, field: str, before: str, after: str) -> dict:
    return {"what": what, "field": field, "before": before, "after": after}


def added(what: str) -> dict:
    return {"what": what, "field": "", "before": "", "after": "added"}


def removed(what: str) -> dict:
    return {"what": what, "field": "", "before": "", "after": "removed"}


# --- A draft is not revised ---------------------------------------------------------


def test_edits_to_a_draft_plan_record_no_revisions(signed_in, member, draft):
    maria = SupportSourceFactory(owner=member, name="Maria")
    signed_in.post(reverse("plans:step", args=[1]), {"sources": [maria.pk]})
    signed_in.post(reverse("plans:add-source"), {"name": "Sam", "category": "friend"})
    asked = draft.plan_sources.get(source=maria)
    signed_in.post(reverse("plans:ask", args=[asked.pk]), {"outcome": "agreed"}, headers=HTMX)
    signed_in.post(
        reverse("plans:expectations", args=[asked.pk]), {"can_give": "Calls"}, headers=HTMX
    )
    signed_in.post(
        reverse("plans:cadence", args=[asked.pk]), {"contact_every_days": "7"}, headers=HTMX
    )
    signed_in.post(reverse("plans:first-day"), {"first_day_after_slip": "Tell Maria"})
    walk = goal(draft)
    edit(signed_in, "goals", walk, goal_post(walk, progress="40"))
    signed_in.post(
        reverse("plans:item-create", args=["goals"]), {"title": "Sleep", "progress": "0"}
    )
    signed_in.post(reverse("plans:item-delete", args=["goals", walk.pk]), headers=HTMX)
    sam = draft.plan_sources.get(source__name="Sam")
    signed_in.post(reverse("plans:step", args=[1]), {"sources": [sam.source_id]})

    # The edits all happened ...
    asked_again = PlanSource.objects.filter(pk=asked.pk)
    assert not asked_again.exists()
    draft.refresh_from_db()
    assert draft.first_day_after_slip == "Tell Maria"
    assert list(Goal.objects.values_list("title", flat=True)) == ["Sleep"]
    # ... and none was recorded.
    assert not Revision.objects.exists()
    assert "Changes are recorded once your plan is active." in html.unescape(
        signed_in.get(reverse("plans:changes")).content.decode()
    )


def test_activating_records_no_revision_of_its_own(signed_in, draft):
    source = SupportSourceFactory(owner=draft.owner, name="Maria", crisis_contact=True)
    PlanSource.objects.create(plan=draft, source=source, outcome="agreed")
    signed_in.post(reverse("plans:activate"))
    draft.refresh_from_db()
    assert draft.is_active
    assert not Revision.objects.exists()


# --- An active plan keeps a record ----------------------------------------------------


def test_editing_a_goals_progress_records_exactly_one_revision(signed_in, member, active):
    walk = goal(active, title="Walk daily", progress=20)
    edit(signed_in, "goals", walk, goal_post(walk, progress="40"))
    revision = Revision.objects.get()
    assert revision.plan == active and revision.author == member
    assert revision.changes == [
        {
            "what": "Goal “Walk daily”",
            "field": "Progress (%)",
            "before": "20",
            "after": "40",
            # What it is about, to read again in each reader's language.
            "kind": "goal",
            "name": "Walk daily",
            "key": "progress",
            "raw": [20, 40],
        }
    ]
    walk.refresh_from_db()
    assert walk.progress == 40


def test_each_changed_field_is_one_change_in_words(signed_in, member, active):
    sam = SupportSourceFactory(owner=member, name="Sam")
    tuesday = activity(active)
    edit(
        signed_in,
        "activities",
        tuesday,
        activity_post(tuesday, weekday="3", time="18:30", place=""),
    )
    payday = relapse_item(active)
    edit(
        signed_in,
        "relapse",
        payday,
        relapse_post(payday, kind="warning_sign", area="mood", contact=sam.pk),
    )
    walk = goal(active, title="Walk daily")
    edit(signed_in, "goals", walk, goal_post(walk, title="Walk together", visibility="supporters"))

    assert changes_of(active) == [
        [
            change("Activity “Tuesday group”", "Day", "Tuesday", "Thursday"),
            change("Activity “Tuesday group”", "Time", "7:00 PM", "6:30 PM"),
            change("Activity “Tuesday group”", "Where", "Church hall", "—"),
        ],
        [
            change("Relapse prevention “Payday”", "Kind", "Trigger", "Warning sign"),
            change("Relapse prevention “Payday”", "Area (for a warning sign)", "—", "Mood"),
            change("Relapse prevention “Payday”", "Who I will contact", "—", "Sam"),
        ],
        [
            change("Goal “Walk daily”", "Goal", "Walk daily", "Walk together"),
            change(
                "Goal “Walk daily”",
                "Who sees this",
                "Me and my counselor",
                "My counselor and supporters",
            ),
        ],
    ]


def test_asks_expectations_contact_and_first_day_are_recorded(signed_in, active):
    maria = in_plan(active, "Maria")
    signed_in.post(
        reverse("plans:ask", args=[maria.pk]),
        {
            "ask_support": ["emotional", "practical"],
            "ask_how_often": "7",
            "outcome": "agreed",
            "asked_on": "2025-03-01",
        },
        headers=HTMX,
    )
    signed_in.post(
        reverse("plans:expectations", args=[maria.pk]),
        {"can_give": "Calls", "can_give_how_often": "14"},
        headers=HTMX,
    )
    signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "3"}, headers=HTMX
    )
    signed_in.post(reverse("plans:first-day"), {"first_day_after_slip": "Tell Maria"}, headers=HTMX)
    assert changes_of(active) == [
        [
            change("Ask to Maria", "What will you ask for?", "—", "Emotional, Practical"),
            change("Ask to Maria", "How often?", "—", "Every week"),
            change("Ask to Maria", "How did it go?", "Not asked yet", "Agreed"),
            change("Ask to Maria", "Asked on", "—", "1 March 2025"),
        ],
        [
            change("Expectations of Maria", "What they can realistically give", "—", "Calls"),
            change("Expectations of Maria", "How often they can", "—", "Every two weeks"),
        ],
        # Step 3's "how often" carried to staying in touch, then changed in step 4.
        [change("Contact with Maria", "Be in touch", "—", "Every two weeks")],
        [change("Contact with Maria", "Be in touch", "Every two weeks", "Every few days")],
        [
            change(
                "The first 24 hours after a slip",
                "The first 24 hours after a slip",
                "—",
                "Tell Maria",
            ),
        ],
    ]


@pytest.mark.parametrize(
    ("kind", "data", "what"),
    [
        (
            "activities",
            {"kind": "session", "title": "Therapy", "weekday": "4", "time": "10:00"},
            "Activity “Therapy”",
        ),
        (
            "relapse",
            {"kind": "craving", "description": "Friday night", "coping": "Call Sam"},
            "Relapse prevention “Friday night”",
        ),
        ("goals", {"title": "Sleep by eleven", "progress": "0"}, "Goal “Sleep by eleven”"),
    ],
)
def test_adding_and_removing_an_item_is_recorded(signed_in, active, kind, data, what):
    response = signed_in.post(reverse("plans:item-create", args=[kind]), data, headers=HTMX)
    assert response.status_code == 200
    model = {"activities": Activity, "relapse": RelapseItem, "goals": Goal}[kind]
    item = model.objects.get(plan=active)
    assert changes_of(active) == [[added(what)]]
    signed_in.post(reverse("plans:item-delete", args=[kind, item.pk]), headers=HTMX)
    assert not model.objects.exists()
    assert changes_of(active) == [[added(what)], [removed(what)]]


def test_choosing_and_unchoosing_sources_in_step_1_is_recorded(signed_in, member, active):
    sam = in_plan(active, "Sam")
    robin = SupportSourceFactory(owner=member, name="Robin")
    maria = SupportSourceFactory(owner=member, name="Maria")
    signed_in.post(reverse("plans:step", args=[1]), {"sources": [robin.pk, maria.pk]})
    assert changes_of(active) == [
        [
            added("Support source “Maria”"),
            added("Support source “Robin”"),
            removed("Support source “Sam”"),
        ]
    ]
    assert not PlanSource.objects.filter(pk=sam.pk).exists()
    # Saving the same choice again changes nothing, and records nothing.
    signed_in.post(reverse("plans:step", args=[1]), {"sources": [robin.pk, maria.pk]})
    assert len(changes_of(active)) == 1


def test_adding_someone_in_place_is_recorded(signed_in, active):
    signed_in.post(
        reverse("plans:add-source"), {"name": "Alex", "category": "friend"}, headers=HTMX
    )
    assert changes_of(active) == [[added("Support source “Alex”")]]


def test_an_edit_that_changes_nothing_records_nothing(signed_in, member, active):
    sam = SupportSourceFactory(owner=member, name="Sam")
    tuesday = activity(active)
    edit(signed_in, "activities", tuesday, activity_post(tuesday))
    sign = relapse_item(active, kind="warning_sign", area="mood", contact=sam)
    edit(signed_in, "relapse", sign, relapse_post(sign))
    walk = goal(active, visibility="supporters")
    edit(signed_in, "goals", walk, goal_post(walk))
    maria = in_plan(
        active,
        "Maria",
        outcome="agreed",
        ask_support=["emotional"],
        ask_how_often=7,
        asked_on="2025-03-01",
        can_give="Calls",
        contact_every_days=7,
    )
    signed_in.post(
        reverse("plans:ask", args=[maria.pk]),
        {
            "ask_support": ["emotional"],
            "ask_how_often": "7",
            "outcome": "agreed",
            "asked_on": "2025-03-01",
        },
        headers=HTMX,
    )
    signed_in.post(
        reverse("plans:expectations", args=[maria.pk]), {"can_give": "Calls"}, headers=HTMX
    )
    signed_in.post(
        reverse("plans:cadence", args=[maria.pk]), {"contact_every_days": "7"}, headers=HTMX
    )
    signed_in.post(reverse("plans:first-day"), {"first_day_after_slip": ""}, headers=HTMX)
    assert changes_of(active) == []


def test_an_area_sent_with_a_trigger_is_not_recorded_as_a_change(signed_in, active):
    payday = relapse_item(active)
    edit(signed_in, "relapse", payday, relapse_post(payday, area="body"))
    payday.refresh_from_db()
    assert payday.area == ""
    assert changes_of(active) == []


def test_an_invalid_edit_records_nothing(signed_in, active):
    walk = goal(active)
    response = signed_in.post(
        reverse("plans:item-edit", args=["goals", walk.pk]),
        goal_post(walk, progress="101"),
        headers=HTMX,
    )
    assert response.status_code == 422
    assert changes_of(active) == []


def test_a_change_reads_again_in_each_readers_language(signed_in, active):
    """Stored once, in English words and with what it was about; read in the reader's
    language and formats. (Django's own Spanish month names: ours come in phase 2.)"""
    maria = in_plan(active, "Maria")
    signed_in.post(
        reverse("plans:ask", args=[maria.pk]),
        {"outcome": "asked", "asked_on": "2025-03-01"},
        headers=HTMX,
    )
    revision = Revision.objects.get()
    asked_on = next(c for c in revision.changes if c["key"] == "asked_on")
    assert asked_on["after"] == "1 March 2025" and asked_on["raw"] == [None, "2025-03-01"]
    with translation.override("es"):
        entry = next(e for e in revision.entries() if e["key"] == "asked_on")
    assert entry["after"] == "1 de marzo de 2025" and entry["before"] == "—"
    with translation.override("en"):
        assert next(e for e in revision.entries() if e["key"] == "asked_on") == {
            **asked_on,
            "added": False,
            "removed": False,
        }


def test_a_change_stored_before_it_kept_its_subject_reads_as_stored(active, member):
    old = {"what": "Goal “Walk”", "field": "", "before": "", "after": "added"}
    revision = Revision.objects.create(plan=active, author=member, changes=[old])
    assert revision.entries() == [{**old, "added": True, "removed": False}]


# --- The changes page -----------------------------------------------------------------


def test_the_changes_page_shows_changes_since_the_date_asked(signed_in, member, active):
    walk = goal(active, title="Walk daily", progress=20)
    edit(signed_in, "goals", walk, goal_post(walk, progress="40"))
    signed_in.post(
        reverse("plans:item-create", args=["goals"]),
        {"title": "Old goal", "progress": "0"},
        headers=HTMX,
    )
    old = Revision.objects.get(changes__0__after="added")
    Revision.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate(timezone=ZoneInfo(member.time_zone))

    recent = signed_in.get(reverse("plans:changes"), {"since": f"{today - timedelta(days=3)}"})
    body = html.unescape(recent.content.decode())
    progress = "Goal “Walk daily”: Progress (%) changed from <del>20</del> to <ins>40</ins>"
    assert f"<li>{progress}</li>" in body
    assert "by Jordan" in body
    assert "Old goal" not in body
    assert len(recent.context["revisions"]) == 1

    everything = signed_in.get(reverse("plans:changes"), {"since": f"{today - timedelta(days=11)}"})
    body = html.unescape(everything.content.decode())
    assert "<li>Goal “Old goal” added</li>" in body
    assert body.index("Walk daily") < body.index("Old goal")  # newest first

    future = signed_in.get(reverse("plans:changes"), {"since": f"{today + timedelta(days=1)}"})
    body = html.unescape(future.content.decode())
    assert "No changes since then." in body and "Walk daily" not in body


def test_the_changes_page_shows_only_the_members_own_plan(signed_in, member, other_member, active):
    theirs = services.plan_activate(plan=services.plan_start(owner=other_member), author=member)
    Revision.objects.create(
        plan=theirs,
        author=other_member,
        changes=[added("Goal “Their secret goal”")],
    )
    body = signed_in.get(reverse("plans:changes")).content.decode()
    assert "Their secret goal" not in body
    assert "No changes since then." in body


# --- What the member's counselor reads --------------------------------------------


@pytest.fixture
def counselor_client(their_counselor) -> Client:
    """The counselor's own browser (the member keeps `signed_in`)."""
    client = Client()
    client.force_login(their_counselor)
    return client


def counselor_sees(counselor_client, member) -> str:
    response = counselor_client.get(reverse("sharing:client", args=[member.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def member_sees(signed_in) -> str:
    return html.unescape(signed_in.get(reverse("plans:changes")).content.decode())


def test_a_contact_changed_away_from_a_private_source_stays_private(
    signed_in, counselor_client, member, active
):
    secret = SupportSourceFactory(owner=member, name="Secret Sponsor", is_private=True)
    bob = SupportSourceFactory(owner=member, name="Bob")
    payday = relapse_item(active, contact=secret)
    edit(signed_in, "relapse", payday, relapse_post(payday, contact=bob.pk))
    assert changes_of(active) == [
        [change("Relapse prevention “Payday”", "Who I will contact", "Secret Sponsor", "Bob")]
    ]
    assert "Secret Sponsor" in member_sees(signed_in)
    page = counselor_sees(counselor_client, member)
    assert "Payday" in page  # the item itself is shared ...
    assert "Secret Sponsor" not in page  # ... the change naming who it was is not
    # Kept private when it was made, it stays so even if the source is shared later.
    network_services.source_update(source=secret, data={"is_private": False})
    page = counselor_sees(counselor_client, member)
    assert "Secret Sponsor" in page  # in their network now
    assert "changed from <del>Secret Sponsor</del>" not in page


def test_making_a_source_private_hides_the_older_changes_naming_it(
    signed_in, counselor_client, member, active
):
    bob = SupportSourceFactory(owner=member, name="Bob Example")
    maria = in_plan(active, "Maria Example")
    payday = relapse_item(active)
    edit(signed_in, "relapse", payday, relapse_post(payday, contact=bob.pk))
    signed_in.post(reverse("plans:ask", args=[maria.pk]), {"outcome": "agreed"}, headers=HTMX)
    page = counselor_sees(counselor_client, member)
    assert "Bob Example" in page and "Ask to Maria Example" in page

    network_services.source_update(source=bob, data={"is_private": True})
    network_services.source_update(source=maria.source, data={"is_private": True})

    page = counselor_sees(counselor_client, member)
    assert "Bob Example" not in page and "Maria Example" not in page
    assert "Payday" in page  # the item is still shared, without its contact
    mine = member_sees(signed_in)  # the member still reads their whole record
    assert "Bob Example" in mine and "Ask to Maria Example" in mine


def test_making_a_relapse_item_private_hides_its_older_changes(
    signed_in, counselor_client, member, active
):
    payday = relapse_item(active)
    edit(signed_in, "relapse", payday, relapse_post(payday, coping="Leave my card at home"))
    assert "Leave my card at home" in counselor_sees(counselor_client, member)
    payday.refresh_from_db()
    edit(signed_in, "relapse", payday, relapse_post(payday, visibility="only_me"))
    page = counselor_sees(counselor_client, member)
    assert "Payday" not in page and "Leave my card at home" not in page
    # Removing it does not bring its past back.
    signed_in.post(reverse("plans:item-delete", args=["relapse", payday.pk]), headers=HTMX)
    assert not RelapseItem.objects.exists()
    page = counselor_sees(counselor_client, member)
    assert "Payday" not in page and "Leave my card at home" not in page
    assert "Leave my card at home" in member_sees(signed_in)


def test_the_client_list_counts_only_changes_the_counselor_may_read(
    signed_in, counselor_client, member, active
):
    secret = SupportSourceFactory(owner=member, name="Secret Sponsor")
    in_plan(active, "Maria Example")
    signed_in.post(reverse("plans:step", args=[1]), {"sources": [secret.pk]})
    assert len(changes_of(active)) == 1
    clients = reverse("sharing:clients")
    assert "plan changed since your last review" in counselor_client.get(clients).content.decode()
    network_services.source_update(source=secret, data={"is_private": True})
    body = counselor_client.get(clients).content.decode()
    assert "plan changed since your last review" not in body


def test_the_counselor_reads_a_change_in_their_own_language(
    signed_in, counselor_client, member, their_counselor, active
):
    walk = goal(active, title="Walk daily", progress=20)
    edit(signed_in, "goals", walk, goal_post(walk, progress="40"))
    assert "Progress (%) changed from <del>20</del> to <ins>40</ins>" in counselor_sees(
        counselor_client, member
    )
    their_counselor.language = "es"
    their_counselor.save()
    page = counselor_sees(counselor_client, member)
    assert "cambió de <del>20</del> a <ins>40</ins>" in page
    assert "changed from" not in page
