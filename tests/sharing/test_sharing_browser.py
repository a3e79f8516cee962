"""The whole sharing flow in real browsers: one browser context per person."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from plans import services
from plans.models import Goal, RelapseItem
from tests.conftest import audit, screenshot
from tests.factories import CounselorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _invite(page, email: str, role_label: str) -> str:
    page.goto("/sharing/")
    page.get_by_label("Email", exact=False).first.fill(email)
    page.get_by_label(role_label).check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"Invitation sent to {email}").wait_for()
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    link = re.search(r"https?://\S+/invite/\S+/", body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_member_shares_with_a_counselor_and_a_supporter_then_revokes(browser_for, member):
    plan = services.plan_start(owner=member)
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="Call")
    Goal.objects.create(plan=plan, title="Walk every day", progress=30, visibility="supporters")
    doctor = CounselorFactory(email="dr.ade@example.org", display_name="Dr. Ade")
    robin = UserFactory(email="robin@example.org", display_name="Robin")

    me = browser_for(member)
    me.goto("/sharing/")
    me.get_by_role("heading", name="Sharing", exact=True).wait_for()
    audit(me)
    counselor_link = _invite(me, "dr.ade@example.org", "Counselor: sees my network")
    supporter_link = _invite(me, "robin@example.org", "Supporter: sees only what I share")
    screenshot(me, "sharing-invitations")

    # The counselor accepts in their own browser, then comments on step 4.
    dr = browser_for(doctor)
    dr.goto(counselor_link)
    assert "/invite/" in dr.url and counselor_link not in dr.url, "the token left the address"
    dr.get_by_role("heading", name=f"{member} invites you").wait_for()
    audit(dr)
    dr.get_by_role("button", name="Accept").click()
    # Home (a member in their own right here), where the new client is listed.
    dr.get_by_role("link", name=str(member), exact=True).click()
    dr.get_by_role("heading", name=str(member), exact=True).wait_for()
    audit(dr)
    dr.get_by_label("What it is about").select_option("step:4")
    dr.get_by_role("textbox", name="Comment").fill("What will you do on payday evenings?")
    dr.get_by_role("button", name="Add comment").click()
    dr.locator("#comments").get_by_text("What will you do on payday evenings?").wait_for()
    # The review asks for changes, with a note the member will read.
    dr.get_by_label("Ask for changes").check()
    dr.get_by_label("A note for them").fill("Add who you will call on payday.")
    dr.get_by_role("button", name="Save review").click()
    dr.get_by_text("Saved: changes asked for.").wait_for()
    dr.locator("#review").get_by_text("Add who you will call on payday.").wait_for()
    audit(dr)
    screenshot(dr, "sharing-client-page")
    dr.goto("/clients/")
    dr.get_by_role("heading", name="Your clients").wait_for()
    audit(dr)
    screenshot(dr, "sharing-clients")

    # The supporter accepts and sends encouragement.
    rb = browser_for(robin)
    rb.goto(supporter_link)
    rb.get_by_role("button", name="Accept").click()
    rb.get_by_role("link", name=str(member), exact=True).click()
    rb.get_by_role("heading", name=f"Supporting {member}").wait_for()
    assert "Walk every day" in rb.content()
    assert "Payday" not in rb.content()
    audit(rb)
    rb.get_by_label("Your message").fill("Thinking of you today!")
    rb.get_by_role("button", name="Send").click()
    rb.get_by_text("Sent.").wait_for()
    screenshot(rb, "sharing-supporter")

    # The member reads the note on their dashboard, then answers the comment.
    me.goto("/dashboard/")
    card = me.locator(".notes-card")
    card.get_by_text("Add who you will call on payday.").wait_for()
    card.get_by_text("What will you do on payday evenings?").wait_for()
    audit(me)
    screenshot(me, "sharing-dashboard-note")
    card.get_by_role("button", name="Mark as read").click()
    me.get_by_role("heading", name="Hello").wait_for()
    assert me.locator(".notes-card").count() == 0
    me.goto("/plan/step/4/")
    me.get_by_role("heading", name="Comments from your counselor on this step").wait_for()
    me.get_by_label("Your reply").fill("Go to the evening meeting.")
    me.get_by_role("button", name="Reply").click()
    me.locator("#comments .comment--reply").get_by_text("Go to the evening meeting.").wait_for()
    audit(me)
    me.goto("/sharing/notes/")
    me.get_by_role("heading", name="Notes from your counselor").wait_for()
    assert "Add who you will call on payday." in me.content()
    audit(me)
    screenshot(me, "sharing-notes")
    me.goto("/dashboard/")
    me.get_by_text("Thinking of you today!").wait_for()
    audit(me)
    me.goto("/sharing/log/")
    me.get_by_role("cell", name="network, plan and check-ins").first.wait_for()
    audit(me)

    # The member stops sharing with the counselor: the next request is refused.
    me.goto("/sharing/")
    me.get_by_role("button", name="Stop sharing with Dr. Ade").click()
    me.get_by_text("Dr. Ade no longer has access").wait_for()
    response = dr.goto(f"/clients/{member.pk}/")
    assert response.status == 404


def test_a_counselor_with_a_long_caseload_sees_the_first_screen_then_the_rest(browser_for):
    """Thirty clients, the last three by name with a plan changed since the last
    review: they come first, then 22 more, then a link to the other five, opened from
    the keyboard, landing on the first of them."""
    from plans.models import Plan, Revision
    from sharing.models import Grant

    doctor = CounselorFactory(display_name="Dr. Ade")
    people = [UserFactory(display_name=f"Client {n:02}") for n in range(30)]
    for n, person in enumerate(people):
        Grant.objects.create(member=person, grantee=doctor, role="counselor")
        if n >= 27:
            plan = Plan.objects.create(owner=person, status="active")
            Revision.objects.create(plan=plan, author=person, visibility="counselor")

    dr = browser_for(doctor)
    dr.goto("/clients/")
    dr.get_by_role("heading", name="Your clients").wait_for()
    cards = dr.locator("article.client")
    assert cards.count() == 25
    assert cards.first.get_by_role("heading").inner_text() == "Client 27"
    more = dr.get_by_role("link", name="Show the other 5 clients")
    assert more.is_visible()
    audit(dr)
    screenshot(dr, "sharing-clients-first-screen")

    more.focus()
    dr.keyboard.press("Enter")
    dr.wait_for_url("**/clients/?all=1#more-clients")
    assert cards.count() == 30
    expect(dr.get_by_role("heading", name="Client 22")).to_be_in_viewport()
    dr.keyboard.press("Tab")  # from where the link led: the first of the rest
    expect(dr.get_by_role("link", name="Client 22")).to_be_focused()
    assert dr.get_by_role("link", name="Show the other").count() == 0
    audit(dr)
