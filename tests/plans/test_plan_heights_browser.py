"""The plan pages' heights at phone width, for a plan filled in as a member would:
saved cards fold to a line (issue 16). Written to test-output/plan-heights.json
(under $HEIGHTS_LABEL, "now" by default) to compare before and after a change.

Measured at 390 px before the cards folded: step 1 1832, step 2 6543, step 3 3487,
step 4 4671."""

import json
import os
from datetime import time

import pytest

from plans import services
from plans.models import Activity, Goal, PlanSource, RelapseItem
from tests.conftest import OUTPUT_DIR
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_measure_the_plan_pages_at_390_px(page, sign_in, member):
    plan = services.plan_start(owner=member)
    people = [
        ("Maria Lopez", "family", "agreed"),
        ("Tuesday Night AA", "support_group", "agreed"),
        ("Dana Brooks", "counselor", "agreed"),
        ("Sam", "friend", "declined"),
    ]
    for name, category, outcome in people:
        source = SupportSourceFactory(owner=member, name=name, category=category)
        PlanSource.objects.create(
            plan=plan,
            source=source,
            outcome=outcome,
            ask_support=["emotional", "practical"],
            ask_how_often=7,
            can_give="A call on Sundays" if outcome == "agreed" else "",
            can_give_how_often=7 if outcome == "agreed" else None,
        )
    Activity.objects.create(plan=plan, title="AA", weekday=1, time=time(19))
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="Call")
    Goal.objects.create(plan=plan, title="Walk daily")
    sign_in(member)
    heights = {}
    for step in (1, 2, 3, 4):
        page.goto(f"/plan/step/{step}/")
        heights[f"step-{step}"] = page.evaluate("document.body.scrollHeight")
    path = OUTPUT_DIR / "plan-heights.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous[os.environ.get("HEIGHTS_LABEL", "now")] = heights
    path.write_text(json.dumps(previous, indent=2))
    # Budgets with room for a longer name or two; each failed before the folding.
    assert heights["step-2"] < 2500, heights
    assert heights["step-3"] < 2000, heights
    assert heights["step-4"] < 3600, heights
