import pytest
from playwright.sync_api import expect

from networks.models import ContactLog, SupportSource
from tests.conftest import OUTPUT_DIR, add_session, audit, screenshot
from tests.factories import SupportSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_view(page, name: str) -> None:
    """What the screen shows now (not the whole page): where the member's eyes are."""
    page.screenshot(path=str(OUTPUT_DIR / "screenshots" / f"{name}.png"), caret="initial")


def add_source(page, name: str, category: str, *, support: list[str], crisis: bool = False):
    form = page.locator("#add-source-form")
    if not form.locator("form").count():  # drawn when asked for
        form.get_by_role("link", name="Add someone to your network").click()
        form.get_by_label("Name").wait_for()
    form.get_by_label("Name").fill(name)
    form.get_by_label("Category").select_option(label=category)
    for label in support:
        form.get_by_label(label, exact=True).check()
    if crisis:
        form.get_by_label("I can reach them in a crisis").check()
    form.get_by_role("button", name="Add to my network").click()
    page.locator("#source-list").get_by_role("heading", name=name).wait_for()


def test_a_member_builds_their_network_in_place(page, sign_in, member):
    sign_in(member)
    page.goto("/network/")
    page.get_by_text("Your map starts with you").wait_for()
    audit(page)
    page.get_by_role("link", name="Add someone", exact=True).click()
    assert page.get_by_label("Name").evaluate("field => field === document.activeElement")

    # A name is required: the answer comes back beside the field, nothing is lost.
    form = page.locator("#add-source-form")
    form.get_by_label("Who they are to you").fill("sister")
    form.get_by_role("button", name="Add to my network").click()
    page.locator("#id_name_error").wait_for()
    assert form.get_by_label("Who they are to you").input_value() == "sister"
    audit(page)

    add_source(page, "Maria", "Family", support=["Emotional"], crisis=True)
    # "Added Maria." where the eyes and focus are, above a fresh form for the next one.
    added = page.locator("#added")
    expect(added).to_have_text("Added Maria.")
    expect(added).to_be_focused()
    expect(added).to_be_in_viewport()
    assert form.get_by_label("Name").input_value() == ""
    in_view(page, "network-added-viewport")
    add_source(
        page,
        "Tuesday SMART group",
        "Support group",
        support=["Information and advice", "Relapse prevention"],
    )
    add_source(page, "Dana Brooks", "Counselor or therapist", support=["Practical"])
    assert page.locator("#insights svg .node").count() == 3
    gaps = page.locator(".gaps")
    assert gaps.get_by_text("No professional support yet").count() == 0
    assert gaps.get_by_text("Nobody you can safely reach in a crisis").count() == 0

    # Edit in place: mark Dana as a risk; the gaps notice the missing boundaries.
    row = page.locator("#source-list li", has_text="Dana Brooks")
    row.get_by_role("link", name="Edit Dana Brooks").click()
    page.get_by_role("heading", name="Edit Dana Brooks").wait_for()
    audit(page)
    page.locator("#source-list form").get_by_label(
        "How do they affect your recovery?"
    ).select_option(label="A risk to my recovery")
    page.locator("#source-list form").get_by_role("button", name="Save").click()
    page.get_by_text("You marked Dana Brooks as a risk").wait_for()
    assert page.locator("#insights .ties .tie--risk").count() == 1
    assert gaps.get_by_text("No professional support yet").count() == 1

    # Remove, then undo.
    page.get_by_role("button", name="Remove Maria").click()
    page.get_by_text("Removed Maria.").first.wait_for()
    assert page.locator("#insights svg .node").count() == 2
    assert gaps.get_by_text("Nobody you can safely reach in a crisis").count() == 1
    audit(page)
    page.get_by_role("button", name="Undo removing Maria").click()
    page.get_by_role("button", name="Talked today with Maria").wait_for()
    assert page.locator("#insights svg .node").count() == 3

    # One tap to log a contact.
    page.get_by_role("button", name="Talked today with Maria").click()
    page.locator("#source-list li", has_text="Maria").get_by_text("In touch today.").wait_for()
    assert ContactLog.objects.filter(source__name="Maria").count() == 1
    audit(page)
    screenshot(page, "network-small")
    assert SupportSource.objects.filter(owner=member, deleted_at__isnull=True).count() == 3


def test_the_page_works_without_javascript(browser, live_server, member):
    SupportSourceFactory.create_batch(4, owner=member)  # a page longer than a phone
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    add_session(context, member, live_server.url)
    page = context.new_page()
    page.goto("/network/")
    page.get_by_role("link", name="Add someone to your network").click()
    form = page.locator("#add-source-form")
    # An empty name: the page reopens at the errors, with what was typed.
    form.get_by_label("Who they are to you").fill("an old friend")
    form.get_by_role("button", name="Add to my network").click()
    expect(page.locator("#add-source .form-errors")).to_be_in_viewport()
    assert form.get_by_label("Who they are to you").input_value() == "an old friend"
    in_view(page, "network-no-js-errors-viewport")
    form.get_by_label("Name").fill("Jess")
    form.get_by_label("Category").select_option(label="Friend")
    form.get_by_role("button", name="Add to my network").click()
    # It opens at "Added Jess.", above a fresh form.
    expect(page.locator("#added")).to_have_text("Added Jess.")
    expect(page.locator("#added")).to_be_in_viewport()
    assert form.get_by_label("Name").input_value() == ""
    in_view(page, "network-no-js-added-viewport")
    page.get_by_role("button", name="Remove Jess").click()
    page.get_by_role("button", name="Undo removing Jess").click()
    page.get_by_text("Jess is back in your network.").wait_for()
    page.get_by_role("link", name="Edit Jess").click()
    page.get_by_label("Who they are to you").fill("friend from school")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("friend from school").wait_for()
    context.close()


@pytest.mark.parametrize("size", [1, 12, 60])
def test_the_map_stays_readable_from_one_to_sixty_sources(page, sign_in, member, size):
    categories = [
        "family",
        "friend",
        "support_group",
        "faith",
        "medical",
        "counselor",
        "psych",
        "other",
    ]
    names = [
        "Maria",
        "Jess",
        "Ray",
        "Dr. Chen",
        "Tuesday group",
        "Dana",
        "Ali",
        "Sam",
        "Grandma Rose",
        "Pastor Lee",
        "Kim",
        "Dr. Patel",
    ]
    for index in range(size):
        SupportSourceFactory(
            owner=member,
            name=f"{names[index % len(names)]} {index // len(names) or ''}".strip(),
            category=categories[index % len(categories)],
            closeness=index % 5 + 1,
            influence=["supports", "supports", "neutral", "mixed", "risk"][index % 5],
            crisis_contact=index % 7 == 0,
            boundaries_note="Phone only.",
        )
    sign_in(member)
    page.goto("/network/")
    assert page.locator("#insights svg .node").count() == size
    audit(page)
    screenshot(page, f"network-{size}-sources")
    page.locator("#insights figure").screenshot(
        path=str(screenshot.__globals__["OUTPUT_DIR"] / "screenshots" / f"ecomap-{size}.png")
    )
