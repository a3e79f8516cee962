"""An active plan for the demo member, with all four steps filled and one revision."""

from datetime import time, timedelta

from django.utils import timezone

from networks.models import SupportSource
from plans import reminders, services
from plans.forms import GoalForm
from plans.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Goal,
    Plan,
    PlanSource,
    RelapseItem,
)

ASKS = {
    # source name: (ask, how often, outcome, what they can give, how often they can)
    "Maria": (
        ["emotional", "practical"],
        3,
        "agreed",
        "Talks on the phone most evenings; lifts to appointments on Mondays.",
        3,
    ),
    "Ray": (
        ["relapse_prevention", "emotional"],
        1,
        "agreed",
        "Answers the phone any time for cravings; meets for coffee weekly.",
        1,
    ),
    "Dana Brooks": (
        ["informational", "relapse_prevention"],
        7,
        "agreed",
        "Weekly session; email between sessions for urgent questions.",
        7,
    ),
    "Tuesday SMART group": (
        ["emotional", "informational"],
        7,
        "agreed",
        "Weekly meeting; a buddy from the group to text.",
        7,
    ),
    "Jess": (["emotional"], 7, "declined", "", None),
    "Dad": (["practical"], 30, "asked", "", None),
}

RELAPSE = [
    (
        "warning_sign",
        "mood",
        "Irritable and short with people for days",
        "Tell Maria, go to a meeting",
        "Maria",
    ),
    (
        "warning_sign",
        "body",
        "Not sleeping, skipping meals",
        "Regular meals, phone away at 10pm",
        "",
    ),
    (
        "warning_sign",
        "behaviour",
        "Skipping group",
        "Text my group buddy before Tuesday",
        "Tuesday SMART group",
    ),
    ("warning_sign", "thinking", "“Just one won't hurt”", "Play the tape forward, call Ray", "Ray"),
    ("warning_sign", "social", "Seeing Tony again", "Keep to phone, daytime only", ""),
    ("trigger", "", "Payday Fridays", "Plan the evening with Maria", "Maria"),
    ("craving", "", "Strong urge after work", "Walk home the long way, call Ray", "Ray"),
    ("high_risk", "", "Work drinks", "Leave after one hour, drive myself", ""),
]


def load_demo_plan(member) -> bool:
    """Create the demo plan unless the member already has one."""
    if Plan.objects.filter(owner=member).exists():
        return False
    plan = Plan.objects.create(
        owner=member,
        first_day_after_slip="Tell Ray the same day. Go to Maria's rather than stay alone. "
        "Eat, sleep, and go to the next meeting. One slip is not the end of my recovery.",
    )
    sources = {s.name: s for s in SupportSource.objects.filter(owner=member)}
    today = timezone.localdate()
    for name, (ask, often, outcome, give, give_often) in ASKS.items():
        if name in sources:
            PlanSource.objects.create(
                plan=plan,
                source=sources[name],
                ask_support=ask,
                ask_how_often=often,
                outcome=outcome,
                asked_on=today - timedelta(days=20),
                answered_on=today - timedelta(days=18) if outcome != "asked" else None,
                can_give=give,
                can_give_how_often=give_often,
                my_boundaries="I tell them when I'm struggling, not only when it's bad."
                if outcome == "agreed"
                else "",
            )
    Activity.objects.bulk_create(
        [
            Activity(
                plan=plan,
                kind="meeting",
                title="SMART Recovery meeting",
                weekday=1,
                time=time(19, 0),
                place="Community Centre, Room 2",
            ),
            Activity(
                plan=plan,
                kind="session",
                title="Session with Dana",
                weekday=3,
                time=time(16, 30),
                place="Riverside Clinic",
            ),
            Activity(
                plan=plan,
                kind="meeting",
                title="Friday circle",
                weekday=4,
                time=time(18, 0),
                place="St. Anne's hall",
            ),
        ]
    )
    RelapseItem.objects.bulk_create(
        [
            RelapseItem(
                plan=plan,
                kind=kind,
                area=area,
                description=description,
                coping=coping,
                contact=sources.get(contact),
            )
            for kind, area, description, coping, contact in RELAPSE
        ]
    )
    goal = Goal.objects.create(
        plan=plan,
        title="Walk 30 minutes a day",
        target="5 days a week",
        progress=40,
        visibility="supporters",
    )
    Goal.objects.create(
        plan=plan, title="90 meetings in 90 days", target="90", progress=25, visibility="supporters"
    )
    Goal.objects.create(plan=plan, title="Pay off the credit card", target="By June", progress=10)
    services.plan_activate(plan=plan, author=member)
    # One edit after activation, so the demo shows a revision.
    form = GoalForm(
        {"title": goal.title, "target": goal.target, "progress": 60, "visibility": "supporters"},
        instance=goal,
    )
    form.is_valid()
    services.plan_item_save(plan=plan, form=form, author=member)
    _load_demo_checkins(member, today)
    return True


def _load_demo_checkins(member, today) -> None:
    """Six weeks of check-ins with a few gaps, so the history has something to show."""
    member.recovery_started_on = today - timedelta(days=52)
    member.save(update_fields=["recovery_started_on"])
    schedule = CheckInSchedule(owner=member, local_time=time(9, 0))
    reminders.schedule_start(schedule=schedule)
    schedule.save()
    moods = [3, 3, 2, 3, 4, 4, 3, 2, 2, 3, 4, 4, 5, 4, 3, 3, 4, 4, 4, 5, 4, 3, 4, 4, 5, 4, 4]
    cravings = [6, 5, 7, 5, 4, 4, 5, 6, 7, 5, 3, 3, 2, 3, 4, 3, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2, 1]
    days = [d for d in range(40, 0, -1) if d % 6 != 0][-len(moods) :]
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=member,
            day=today - timedelta(days=d),
            mood=mood,
            craving=craving,
            meeting_attended=d % 7 == 1,
        )
        for d, mood, craving in zip(days, moods, cravings, strict=True)
    )
