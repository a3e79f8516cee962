import pytest
from django.utils import timezone

from plans.models import Activity, CheckIn, Goal, Plan, PlanSource, RelapseItem
from tests.factories import SupportSourceFactory
from tests.world import build_world


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Nine accounts a test: argon2 (tested elsewhere) would spend most of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(member, other_member, their_counselor, their_supporter):
    """The access matrix's world, and the other member's own things, whose ids a hostile
    request slips into fields such as `contact`, `sources` or `triggers`."""
    world = build_world(
        member=member,
        other_member=other_member,
        counselor=their_counselor,
        supporter=their_supporter,
    )
    source = SupportSourceFactory(owner=other_member, name="Uncle Ben", crisis_contact=True)
    plan = Plan.objects.create(owner=other_member)
    world["others"] = {
        "source": source.pk,
        "plan": plan.pk,
        "plan_source": PlanSource.objects.create(plan=plan, source=source, outcome="agreed").pk,
        "relapse_item": RelapseItem.objects.create(
            plan=plan, kind="trigger", description="Rent day", coping="Walk", contact=source
        ).pk,
        "goal": Goal.objects.create(plan=plan, title="Sleep").pk,
        "activity": Activity.objects.create(plan=plan, title="Group", weekday=3, time="18:00").pk,
        "checkin": CheckIn.objects.create(
            owner=other_member, day=timezone.localdate(), mood=2, craving=7
        ).pk,
    }
    return world
