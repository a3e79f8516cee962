"""At phone size: the member chooses who sees a goal, checks with "See what they see",
and the sister sees exactly that on her own page; she reads the member's thank-you
beneath her message."""

import pytest

from plans import services
from plans.models import Goal, Plan
from sharing import services as sharing_services
from sharing.models import Grant
from tests.conftest import audit, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_member_checks_what_the_sister_sees_and_thanks_her(
    browser_for, member, their_supporter, their_counselor
):
    plan = Plan.objects.create(owner=member)
    services.plan_activate(plan=plan, author=member)
    walk = Goal.objects.create(plan=plan, title="Walk every day", progress=30)
    Goal.objects.create(plan=plan, title="Call my dad", visibility="only_me")
    grant = Grant.objects.get(grantee=their_supporter)
    sharing_services.encouragement_send(grant=grant, body="So proud of you")

    me = browser_for(member)
    me.goto("/sharing/")
    audit(me)
    screenshot(me, "preview-sharing-page")
    me.get_by_role("link", name=f"See what {their_supporter} sees").click()
    me.get_by_role("heading", name=f"What {their_supporter} sees").wait_for()
    preview = me.get_by_role("region", name=f"{their_supporter}'s page, as they see it")
    assert "Walk every day" not in preview.inner_text()  # the counselor's, not hers
    assert preview.get_by_role("button", name="Send").is_disabled()
    audit(me)
    screenshot(me, "preview-supporter-before")

    me.goto(f"/plan/items/goals/{walk.pk}/")
    me.get_by_label("My counselor and supporters").check()
    audit(me)
    screenshot(me, "preview-who-sees-this")
    me.get_by_role("button", name="Save").click()
    me.goto(f"/sharing/access/{grant.pk}/preview/")
    preview = me.get_by_role("region", name=f"{their_supporter}'s page, as they see it")
    shown = preview.inner_text()
    assert "Walk every day" in shown and "Call my dad" not in shown
    screenshot(me, "preview-supporter-after")

    me.goto(f"/sharing/access/{Grant.objects.get(grantee=their_counselor).pk}/preview/")
    preview = me.get_by_role("region", name=f"{their_counselor}'s page, as they see it")
    assert "Walk every day" in preview.inner_text()
    assert "Call my dad" not in preview.inner_text()
    audit(me)
    screenshot(me, "preview-counselor")

    me.goto("/dashboard/")
    me.get_by_role("button", name=f"Say thank you to {their_supporter}").click()
    me.get_by_text("You replied:").wait_for()
    audit(me)

    sister = browser_for(their_supporter)
    sister.goto(f"/supporting/{member.pk}/")
    main = sister.get_by_role("main").inner_text()
    for line in shown.split("\n"):  # everything the preview showed, and in her page
        assert line in main, line
    sister.get_by_text(f"{member} replied: Thank you").wait_for()
    audit(sister)
    screenshot(sister, "preview-sister-page")
