"""New people, invited: a counselor and a sister each open the emailed link in their
own phone-sized browser, sign up with the address filled in, are never asked to
verify it or to type their password twice, and land on a home that fits them."""

import pytest
from django.core import mail

from plans import services
from plans.models import Goal
from recovery_support.models import User
from tests.conftest import audit, screenshot
from tests.recovery_support.test_two_factor_flow import current_code
from tests.sharing.test_sharing_browser import _invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "steady-mornings-2026"


def _nav(page) -> str:
    return page.get_by_role("navigation", name="Main").inner_text()


def _sign_up_from(page, link: str, email: str, name: str, shot: str) -> None:
    page.goto(link)
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


def test_an_invited_counselor_and_sister_sign_up_and_land_on_their_own_homes(browser_for, member):
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

    # She looks in on Jordan, then starts a plan of her own: the member's pages join hers.
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
