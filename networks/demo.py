"""A realistic network for the demo member: `make run` loads it once."""

from datetime import timedelta

from django.utils import timezone

from networks import services
from networks.models import SupportSource

DEMO_SOURCES = [
    dict(
        name="Maria",
        category="family",
        relationship="sister",
        support_types=["emotional", "practical"],
        practical_kinds=["daily_tasks"],
        crisis_contact=True,
        closeness=5,
        influence="supports",
        phone="+1 555 201 3344",
        known_for="lifelong",
        contact_every_days=3,
        contacted_days_ago=[1, 4, 8],
    ),
    dict(
        name="Dad",
        category="family",
        relationship="father",
        support_types=["practical"],
        practical_kinds=["money_legal"],
        closeness=3,
        influence="mixed",
        boundaries_note="We talk about the kids and work, not about my past. "
        "I leave if he starts drinking.",
        known_for="lifelong",
        contact_every_days=7,
        contacted_days_ago=[12],
    ),
    dict(
        name="Jess",
        category="friend",
        relationship="friend from school",
        support_types=["emotional"],
        closeness=4,
        influence="supports",
        known_for="over_five",
        phone="+1 555 010 7788",
        contact_every_days=7,
        contacted_days_ago=[2],
    ),
    dict(
        name="Tony",
        category="friend",
        relationship="old friend",
        support_types=[],
        closeness=2,
        influence="risk",
        known_for="over_five",
        boundaries_note="No meeting at the bar. Phone only, daytime.",
    ),
    dict(
        name="Tuesday SMART group",
        category="support_group",
        relationship="peer group",
        support_types=["emotional", "informational", "relapse_prevention"],
        closeness=4,
        meets_where="Community Centre, Room 2",
        meets_when="Tuesdays 7pm",
        contact_every_days=7,
        contacted_days_ago=[5],
    ),
    dict(
        name="Ray",
        category="support_group",
        relationship="sponsor",
        support_types=["emotional", "relapse_prevention"],
        crisis_contact=True,
        closeness=5,
        phone="+1 555 303 1200",
        contact_every_days=7,
        contacted_days_ago=[9],
    ),
    dict(
        name="St. Anne's Friday circle",
        category="faith",
        relationship="church group",
        support_types=["emotional"],
        closeness=3,
        meets_when="Fridays 6pm",
        meets_where="St. Anne's hall",
    ),
    dict(
        name="Dr. Chen",
        category="medical",
        relationship="family doctor",
        support_types=["informational"],
        closeness=2,
        phone="+1 555 440 9000",
        contact_every_days=30,
        contacted_days_ago=[20],
    ),
    dict(
        name="Dana Brooks",
        category="counselor",
        relationship="addiction counselor",
        support_types=["informational", "relapse_prevention", "emotional"],
        closeness=4,
        phone="+1 555 440 9100",
        contact_every_days=7,
        contacted_days_ago=[6],
    ),
    dict(
        name="Dr. Patel",
        category="psych",
        relationship="psychiatrist",
        support_types=["informational"],
        closeness=2,
        contact_every_days=30,
        contacted_days_ago=[25],
    ),
    dict(
        name="Sam's manager",
        category="other",
        relationship="manager at work",
        support_types=["practical"],
        practical_kinds=["work_education"],
        closeness=2,
        influence="neutral",
        is_private=True,
    ),
    dict(
        name="Neighbour Ali",
        category="other",
        relationship="neighbour",
        support_types=["practical"],
        practical_kinds=["daily_tasks"],
        closeness=3,
        notes="Gives me a lift to group when the bus is off.",
    ),
]


def load_demo_network(member) -> int:
    """Create the demo sources, unless the member already has a network."""
    if SupportSource.objects.filter(owner=member).exists():
        return 0
    today = timezone.localdate()
    for entry in DEMO_SOURCES:
        data = dict(entry)
        contacts = data.pop("contacted_days_ago", [])
        source = services.source_create(owner=member, data=data)
        # Backdate so "last contact" and overdue reminders look lived-in.
        SupportSource.objects.filter(pk=source.pk).update(
            created_at=timezone.now() - timedelta(days=60)
        )
        for days in contacts:
            services.contact_log(source=source, on=today - timedelta(days=days))
    return len(DEMO_SOURCES)
