import pytest

from plans.models import Plan
from tests.conftest import audit, screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A card's save has come back (and any change made meanwhile has been saved after it).
SAVED = "() => !document.querySelector('.htmx-request')"


def test_a_member_walks_the_four_steps_to_an_active_plan(page, sign_in, member):
    SupportSourceFactory(
        owner=member,
        name="Maria",
        category="family",
        relationship="sister",
        email="maria@example.org",
        phone="+1 555 201 3344",
        crisis_contact=True,
    )
    SupportSourceFactory(owner=member, name="Dana Brooks", category="counselor")
    sign_in(member)

    # Step 1: choose Maria, and add Ray without leaving the step.
    page.goto("/plan/")
    page.get_by_role("heading", name="Step 1: Who could support you?").wait_for()
    audit(page)
    page.get_by_label("Maria").check()
    quick = page.locator("#quick-add")
    quick.get_by_label("Name").fill("Ray")
    quick.get_by_label("Category").select_option(label="Support group")
    quick.get_by_label("Who they are to you").fill("sponsor")
    quick.get_by_role("button", name="Add to network and plan").click()
    page.get_by_text("Added Ray to your network and your plan.").wait_for()
    assert page.get_by_label("Ray").is_checked()
    assert page.get_by_label("Maria").is_checked()  # what was ticked is kept
    audit(page)
    screenshot(page, "plan-step-1")
    page.get_by_role("button", name="Save and go to step 2").click()

    # Step 2: Maria agrees, Ray declines.
    page.get_by_role("heading", name="Step 2: Reach out").wait_for()
    audit(page)
    maria = page.locator("article", has=page.get_by_role("heading", name="Maria"))
    maria.get_by_label("Emotional").check()
    maria.get_by_label("Practical").check()
    maria.get_by_label("How often?").select_option(label="Every few days")
    maria.get_by_role("button", name="Save the ask to Maria").click()
    page.wait_for_function(SAVED)
    maria.get_by_text(
        "be someone I can talk to when things are hard and help with some "
        "practical things? I was thinking every few days, if that works for you."
    ).wait_for()
    assert (
        maria.get_by_role("link", name="Open in email")
        .get_attribute("href")
        .startswith("mailto:maria@example.org?subject=")
    )
    maria.get_by_label("How did it go?").select_option(label="Agreed")
    maria.get_by_role("button", name="Save the ask to Maria").click()
    page.wait_for_function(SAVED)
    maria.locator(".tag--agreed").wait_for()

    ray = page.locator("article", has=page.get_by_role("heading", name="Ray"))
    ray.get_by_label("Relapse prevention").check()
    ray.get_by_label("How did it go?").select_option(label="Declined")
    ray.get_by_role("button", name="Save the ask to Ray").click()
    ray.get_by_text("A no is an answer, not a failure.").wait_for()
    audit(page)
    screenshot(page, "plan-step-2")
    page.get_by_role("link", name="Go to step 3").click()

    # Step 3: only Maria carries on, and the page warns she carries the plan.
    page.get_by_role("heading", name="Step 3: What is realistic").wait_for()
    assert page.locator("article h2").all_inner_texts() == ["Maria"]
    page.get_by_text("Maria carries most of your plan.").wait_for()
    page.get_by_text("Nobody has agreed to relapse prevention support yet.").wait_for()
    page.get_by_label("What they can realistically give").fill("Evening calls, lifts on Mondays")
    page.get_by_label("How often they can").select_option(label="Every week")
    page.get_by_role("button", name="Save what Maria can give").click()
    page.get_by_text("Saved what Maria can give.").wait_for()
    page.get_by_text("and they can manage every week").wait_for()
    audit(page)
    screenshot(page, "plan-step-3")
    page.get_by_role("link", name="Go to step 4").click()

    # Step 4: a relapse-prevention entry, a shared goal, a meeting; then activate.
    page.get_by_role("heading", name="Step 4: Your plan").wait_for()
    audit(page)
    relapse = page.locator("#section-relapse")
    relapse.get_by_label("Kind").select_option(label="Warning sign")
    relapse.get_by_label("What it is").fill("Skipping meals")
    relapse.get_by_role("button", name="Add to my plan").click()
    page.locator("#relapse_area_error").wait_for()  # a warning sign needs its area
    relapse = page.locator("#section-relapse")
    assert relapse.get_by_label("What it is").input_value() == "Skipping meals"
    relapse.get_by_label("Area (for a warning sign)").select_option(label="Body")
    relapse.get_by_label("What I will do").fill("Eat three meals, phone Maria")
    relapse.get_by_label("Who I will contact").select_option(label="Maria")
    relapse.get_by_role("button", name="Add to my plan").click()
    page.locator("#section-relapse li", has_text="Skipping meals").wait_for()

    goals = page.locator("#section-goals")
    goals.get_by_label("Goal", exact=True).fill("Walk every day")
    goals.get_by_label("Progress (%)").fill("20")
    goals.get_by_label("My counselor and supporters").check()
    goals.get_by_role("button", name="Add goal").click()
    page.locator("#section-goals li", has_text="Walk every day").get_by_text(
        "My counselor and supporters"
    ).wait_for()

    meetings = page.locator("#section-activities")
    meetings.get_by_label("What").fill("SMART meeting")
    meetings.get_by_label("Day").select_option(label="Tuesday")
    meetings.get_by_label("Time").fill("19:00")
    meetings.get_by_role("button", name="Add meeting or session").click()
    page.locator("#section-activities li", has_text="SMART meeting").wait_for()
    audit(page)
    screenshot(page, "plan-step-4")

    page.get_by_role("button", name="Activate anyway").click()  # the first 24 hours are still to do
    page.get_by_role("heading", name="My support plan").wait_for()
    assert Plan.objects.get(owner=member).status == "active"
    audit(page)
    crisis = page.locator("section", has=page.get_by_role("heading", name="In a crisis"))
    assert "Maria" in crisis.inner_text()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    screenshot(page, "plan-printable")
