import pytest
from django.core import mail
from django.core.management import call_command

from recovery_support.demo import DEMO_ACCOUNTS
from recovery_support.models import User
from tests.conftest import audit, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_manages_their_account_on_accessible_pages(page, sign_in, member):
    sign_in(member)
    for path, heading in [
        ("/accounts/email/", "Email Address"),
        ("/accounts/password/change/", "Change Password"),
        ("/accounts/2fa/", "Two-Factor Authentication"),
    ]:
        page.goto(path)
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        audit(page)
        screenshot(page, "accounts-" + path.strip("/").replace("/", "-"))

    page.goto("/accounts/password/change/")
    page.get_by_label("Current Password").fill("not my password")
    page.get_by_label("New Password", exact=True).fill("short")
    page.get_by_label("New Password (again)").fill("short")
    page.get_by_role("button", name="Change Password").click()
    page.get_by_text("Please type your current password.").wait_for()
    audit(page)
    assert page.get_by_label("New Password", exact=True).get_attribute("aria-invalid") == "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_resets_a_forgotten_password(page, member):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    audit(page)
    page.get_by_label("Email").fill(member.email)
    page.get_by_role("button", name="Reset My Password").click()
    page.get_by_role("heading", name="Password Reset").wait_for()
    audit(page)

    message = mail.outbox[-1]
    assert message.alternatives, "the reset email has an HTML version"
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    page.goto(link)
    page.get_by_label("New Password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New Password (again)").fill("a-brand-new-passphrase")
    audit(page)
    page.get_by_role("button", name="Change Password").click()
    page.get_by_text("Your password is now changed.").wait_for()
    member.refresh_from_db()
    assert member.check_password("a-brand-new-passphrase")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_counselor_sets_up_two_factor_on_an_accessible_page(page, sign_in, counselor):
    sign_in(counselor)
    page.goto("/dashboard/")
    # allauth asks for the password again before any two-factor change.
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    audit(page)
    screenshot(page, "accounts-2fa-activate")


@pytest.mark.django_db
def test_the_demo_data_loads_twice_without_duplicates():
    call_command("seed_demo")
    call_command("seed_demo")
    emails = [account["email"] for account in DEMO_ACCOUNTS.values()]
    assert User.objects.filter(email__in=emails).count() == len(emails)
    assert User.objects.get(email=DEMO_ACCOUNTS["counselor"]["email"]).is_professional
    helpers = [DEMO_ACCOUNTS[role]["email"] for role in ("counselor", "supporter")]
    assert not User.objects.filter(email__in=helpers, has_own_space=True).exists(), "their homes"
    member = User.objects.get(email=DEMO_ACCOUNTS["member"]["email"])
    assert member.support_sources.count() == 12
    plan = member.plans.get()
    assert plan.status == "active" and plan.revisions.count() == 1
    assert member.checkins.count() == 27 and member.checkin_schedule.next_due_at is not None
