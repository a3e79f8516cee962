"""The three people, each in their own phone-sized browser, from the emailed links on:
a member invites a counselor and a sister; each signs up from the link with the
address filled in, is never asked to verify it or to type the password twice, and
lands on a home that fits them. The counselor asks for changes with a note; the
member finds it on the dashboard and in an email, reads it and answers. The member
taps "I need help now" alone: the counselor and the sister are each emailed once,
with the member's own local time. The sister's page shows what "See what she sees"
showed the member. Axe on every page."""

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import dateformat

from plans import services
from plans.models import Goal, HelpCall
from recovery_support.models import User
from tests.conftest import audit, screenshot
from tests.recovery_support.test_two_factor_flow import current_code
from tests.sharing.test_sharing_browser import _invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "steady-mornings-2026"


def _nav(page) -> str:
    return page.get_by_role("navigation", name="Main").inner_text()


def _sign_up_from(page, link: str, email: str, name: str, shot: str) -> None:
    answer = page.goto(link)
    # CI once found "This invitation link doesn't work" here (never locally): say what
    # the browser held, should it happen again.
    if not answer.ok:
        first = answer.request.redirected_from
        set_cookie = first and first.response().all_headers().get("set-cookie")
        cookies = [c["name"] for c in page.context.cookies()]
        pytest.fail(f"{answer.status} at {page.url}; Set-Cookie {set_cookie!r}; held {cookies}")
    page.get_by_role("heading", name="Jordan invites you").wait_for()
    assert "Help alerts" in page.content()
    audit(page)
    screenshot(page, f"{shot}-invitation")
    page.get_by_role("link", name="Create your account").click()
    assert page.get_by_label("Email").input_value() == email, "filled in from the invitation"
    page.get_by_label("What should we call you?").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    audit(page)
    screenshot(page, f"{shot}-signup")
    page.get_by_role("button", name="Sign Up").click()


def test_a_member_a_counselor_and_a_sister_reach_each_other_from_the_emailed_links(
    browser_for, member
):
    plan = services.plan_start(owner=member)
    Goal.objects.create(plan=plan, title="Walk every day", progress=30, visibility="supporters")
    me = browser_for(member)
    counselor_link = _invite(me, "dr.ade@example.org", "Counselor: sees my network")
    sister_link = _invite(me, "ana@example.org", "Supporter: sees only what I share")

    # The counselor: two-factor straight after sign-up, then the invitation.
    dr = browser_for()
    _sign_up_from(dr, counselor_link, "dr.ade@example.org", "Dr. Ade", "invited-counselor")
    dr.get_by_role("heading", name="Activate Authenticator App").wait_for()
    assert "/accounts/" in dr.url and "reauthenticate" not in dr.url, "no password again"
    audit(dr)
    secret = dr.get_by_label("Authenticator secret").input_value()
    screenshot(dr, "invited-counselor-two-factor")
    dr.get_by_label("Authenticator code").fill(current_code(secret))
    dr.get_by_role("button", name="Activate").click()
    screenshot(dr, "invited-counselor-recovery-codes")
    dr.get_by_role("link", name="See the invitation").click()
    dr.get_by_role("button", name="Accept").wait_for()
    audit(dr)
    screenshot(dr, "invited-counselor-accept")
    dr.get_by_role("button", name="Accept").click()
    dr.get_by_role("heading", name="Your clients").wait_for()
    dr.get_by_role("link", name="Jordan", exact=True).wait_for()
    nav = _nav(dr)
    assert "Clients" in nav and "Plan" not in nav and "Check in" not in nav
    audit(dr)
    screenshot(dr, "invited-counselor-home")

    # The sister: no two-factor, straight on to accept.
    ana = browser_for()
    _sign_up_from(ana, sister_link, "ana@example.org", "Ana", "invited-sister")
    ana.get_by_role("heading", name="Jordan invites you").wait_for()
    ana.get_by_role("button", name="Accept").click()
    ana.get_by_role("heading", name="People you support").wait_for()
    nav = _nav(ana)
    assert "People you support" in nav and "Network" not in nav and "Plan" not in nav
    audit(ana)
    screenshot(ana, "invited-sister-home")
    assert all(not u.has_own_space for u in User.objects.exclude(pk=member.pk))
    for email in ("dr.ade@example.org", "ana@example.org"):
        sent = [m.subject for m in mail.outbox if m.to == [email]]
        assert sent[0] == "Jordan invites you to Recovery Support"
        assert not [s for s in sent if "Confirm" in s], f"no email asking to verify: {sent}"

    # Jordan lets both of them hear when help is asked for, on the Sharing page.
    me.goto("/sharing/")
    for name in ("Dr. Ade", "Ana"):
        grant = me.get_by_role("article", name=name)
        grant.get_by_label(f"Email {name} when I ask for help").check()
        grant.get_by_role("button", name="Save").click()
        me.get_by_text(f"Saved what {name} may see.").wait_for()
    audit(me)
    screenshot(me, "walk-member-sharing")

    # The counselor comments on the goal and asks for changes, with a note.
    dr.get_by_role("link", name="Jordan", exact=True).click()
    dr.get_by_role("heading", name="Jordan", exact=True).wait_for()
    dr.get_by_label("What it is about").select_option(label="Walk every day")
    dr.get_by_role("textbox", name="Comment").fill("Where will you walk when it rains?")
    dr.get_by_role("button", name="Add comment").click()
    dr.locator("#comments").get_by_text("Where will you walk when it rains?").wait_for()
    dr.get_by_label("Ask for changes").check()
    dr.get_by_label("A note for them").fill("Add <b>who</b> you will call on payday.")
    dr.get_by_role("button", name="Save review").click()
    dr.get_by_text("Saved: changes asked for.").wait_for()
    audit(dr)
    screenshot(dr, "walk-counselor-review")
    note_emails = [m for m in mail.outbox if m.to == [member.email] and "note" in m.subject]
    assert len(note_emails) == 1, [m.subject for m in mail.outbox if m.to == [member.email]]
    assert "payday" not in note_emails[0].body, "the email says there is a note, not what"

    # Jordan finds the note on the dashboard, reads it and answers the comment.
    me.goto("/dashboard/")
    card = me.locator(".notes-card")
    card.get_by_text("Add <b>who</b> you will call on payday.").wait_for()
    card.get_by_text("Where will you walk when it rains?").wait_for()
    audit(me)
    screenshot(me, "walk-member-dashboard-note")
    me.goto("/sharing/notes/")
    me.get_by_role("heading", name="Notes from your counselor").wait_for()
    me.get_by_label("Your reply").fill("At the mall, with Ana.")
    me.get_by_role("button", name="Reply").click()
    me.get_by_text("At the mall, with Ana.").wait_for()
    me.get_by_role("button", name="Mark as read").click()
    me.get_by_text("1 new since you last looked").wait_for(state="detached")
    audit(me)
    screenshot(me, "walk-member-notes")
    dr.reload()
    dr.locator("#comments").get_by_text("At the mall, with Ana.").wait_for()

    # "I need help now", alone: both are emailed once, with Jordan's own time.
    before = len(mail.outbox)
    me.goto("/dashboard/")
    me.get_by_role("button", name="I need help now").click()
    me.get_by_role("heading", name="You asked for help at").wait_for()
    told = me.locator("#told").inner_text()
    assert "Dr. Ade" in told and "Ana" in told, told
    audit(me)
    screenshot(me, "walk-member-help")
    asked_at = HelpCall.objects.get(owner=member).created_at
    local_time = dateformat.time_format(asked_at.astimezone(ZoneInfo(member.time_zone)), "g:i A")
    alerts = {m.to[0]: m for m in mail.outbox[before:]}
    assert len(mail.outbox) - before == 2
    assert set(alerts) == {"dr.ade@example.org", "ana@example.org"}
    for alert in alerts.values():
        assert f"Jordan asked for help at {local_time} their time" in alert.body, alert.body
        assert "Walk" not in alert.body and "payday" not in alert.body
    dr.goto(f"/clients/{member.pk}/")
    dr.get_by_text("Asked for help:").wait_for()
    audit(dr)
    screenshot(dr, "walk-counselor-after-help")

    # What the preview showed Jordan is what Ana sees.
    me.goto("/sharing/")
    me.get_by_role("link", name="See what Ana sees").click()
    preview = me.get_by_role("region", name="Ana's page, as they see it")
    shown = preview.inner_text()
    assert "Walk every day" in shown
    audit(me)
    screenshot(me, "walk-member-preview-of-ana")
    ana.goto(f"/supporting/{member.pk}/")
    page = ana.get_by_role("main").inner_text()
    for line in shown.split("\n"):
        assert line in page, line
    audit(ana)
    screenshot(ana, "walk-sister-page")

    # She looks in on Jordan, then starts a plan of her own: the member's pages join hers.
    ana.goto("/supporting/")
    ana.get_by_role("link", name="See Jordan's goals").click()
    ana.get_by_text("Walk every day").wait_for()
    ana.goto("/dashboard/")
    ana.get_by_role("button", name="Start my own plan").click()
    ana.get_by_role("heading", name="Step 1", exact=False).first.wait_for()
    assert "Plan" in _nav(ana) and "Check in" in _nav(ana)
    audit(ana)

    # The counselor steps back; Jordan is told kindly.
    dr.goto(f"/clients/{member.pk}/")
    dr.get_by_role("link", name="Stop supporting Jordan").click()
    audit(dr)
    screenshot(dr, "invited-counselor-stop")
    dr.get_by_role("button", name="Stop supporting Jordan").click()
    dr.get_by_text("You have stopped supporting Jordan").wait_for()
    me.goto("/sharing/")
    me.get_by_text("Dr. Ade chose to step back as your counselor").wait_for()
    audit(me)
    screenshot(me, "invited-member-sharing-after-step-back")
