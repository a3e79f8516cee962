"""Asking for a ride, in real browsers at phone size: one context per person. The
member asks two chosen supporters; the second takes it on; the first sees it taken;
the reminder reaches the claimer through a real Celery worker before the time; the
member thanks them. Axe on every page."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from plans.models import Activity, Plan
from recovery_support.celery import app
from sharing.models import Grant, HelpRequest
from sharing.tasks import sweep_help_reminders
from tests.compose import service_command
from tests.conftest import add_session, audit, screenshot, subprocess_env, wait_until
from tests.factories import UserFactory
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_for(browser, live_server):
    contexts = []

    def _open(user):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
        )
        contexts.append(context)
        add_session(context, user, live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        return page

    yield _open
    for context in contexts:
        context.close()


def next_tuesday(zone: ZoneInfo) -> date:
    day = timezone.localdate(timezone=zone) + timedelta(days=1)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def test_a_ride_to_tuesdays_meeting_is_asked_for_taken_on_reminded_and_thanked(
    browser_for, member, their_supporter, start_process
):
    zone = ZoneInfo(member.time_zone)
    plan = Plan.objects.create(owner=member)
    Activity.objects.create(plan=plan, title="Tuesday group", weekday=1, time=time(19))
    sam = UserFactory(display_name="Sam", email="sam@example.org")
    lee = UserFactory(display_name="Lee")
    for person in (sam, lee):
        Grant.objects.create(member=member, grantee=person, role="supporter")
    tuesday = next_tuesday(zone)

    # The member asks Robin and Sam (not Lee) for a ride.
    me = browser_for(member)
    me.goto("/help-requests/")
    me.get_by_role("heading", name="Ask for a hand", exact=True).wait_for()
    audit(me)
    me.get_by_label("A ride").check()
    me.get_by_label("Day", exact=True).fill(tuesday.isoformat())
    me.get_by_label("Time", exact=True).fill("18:30")
    me.get_by_label("Where").fill("St Mark's hall, Elm Street")
    me.get_by_label("A note for them").fill("To the Tuesday group, if you can.")
    me.get_by_label("Only the people I tick").check()
    me.get_by_label("Robin", exact=True).check()
    me.get_by_label("Sam", exact=True).check()
    me.get_by_role("button", name="Send my request").click()
    me.get_by_text("Your request is sent").wait_for()
    audit(me)
    screenshot(me, "help-member-asked")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([their_supporter.email, sam.email])
    assert all("St Mark" not in m.body for m in mail.outbox)

    # Sam, in their own browser, opens the emailed link and takes it on.
    body = next(m.body for m in mail.outbox if m.to == [sam.email])
    link = re.search(r"https?://\S+", body.split("take it on here", 1)[1]).group(0)
    sam_page = browser_for(sam)
    sam_page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert sam_page.url.endswith(f"/supporting/{member.pk}/"), sam_page.url
    sam_page.get_by_text("St Mark's hall, Elm Street").wait_for()
    audit(sam_page)
    screenshot(sam_page, "help-supporter-open")
    sam_page.get_by_role("button", name="I'll do it").click()
    sam_page.get_by_text("Jordan can see that you're on it").wait_for()
    sam_page.get_by_role("heading", name="You're on it").wait_for()
    audit(sam_page)
    screenshot(sam_page, "help-supporter-claimed")

    # Robin sees it taken; Lee was never asked.
    robin = browser_for(their_supporter)
    robin.goto(f"/supporting/{member.pk}/")
    robin.get_by_text("Sam is on it.").wait_for()
    assert robin.get_by_role("button", name="I'll do it").count() == 0
    audit(robin)
    screenshot(robin, "help-other-supporter-sees-taken")
    lee_page = browser_for(lee)
    lee_page.goto(f"/supporting/{member.pk}/")
    lee_page.get_by_role("heading", name="How to help").wait_for()
    assert "St Mark" not in lee_page.content()

    # The reminder, through Redis and a real worker, before the ride.
    help_request = HelpRequest.objects.get()
    assert help_request.claimed_by == sam and help_request.remind_at is not None
    HelpRequest.objects.filter(pk=help_request.pk).update(remind_at=timezone.now())  # time passes
    with SmtpSink() as sink:
        env = subprocess_env(
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port), EMAIL_USE_TLS="false"
        )
        worker = start_process(service_command("worker"), env=env)
        app.conf.task_always_eager = False
        try:
            sweep_help_reminders.delay()
        finally:
            app.conf.task_always_eager = True

        def arrived():
            assert worker.poll() is None, worker.log_path.read_text()
            return sink.messages

        wait_until(arrived, timeout=60, message="no reminder reached the claimer")
        assert [m["To"] for m in sink.messages] == [sam.email]
        assert "you offered Jordan a ride" in sink.bodies()[0]
    assert timezone.now() < help_request.at == datetime.combine(tuesday, time(18, 30), zone)

    # A lesson, read privately.
    sam_page.goto(f"/supporting/{member.pk}/")
    sam_page.get_by_text("After a slip", exact=True).click()
    lesson = sam_page.locator("#lesson-after-a-slip")
    lesson.get_by_role("button", name="Mark as read").click()
    sam_page.get_by_text("You marked this read").wait_for()
    audit(sam_page)
    screenshot(sam_page, "help-supporter-lesson")

    # The member sees who took it on and thanks them, in their own words.
    me.goto("/help-requests/")
    me.get_by_text("Sam is on it.").wait_for()
    me.get_by_role("link", name="Thank Sam").click()
    thanks = me.get_by_label("Your thank-you")
    assert "Thank you, Sam, for the ride." in thanks.input_value()
    audit(me)
    thanks.fill("Sam, thank you for the ride on Tuesday. It meant a lot.")
    me.get_by_role("button", name="Send my thank-you").click()
    me.get_by_text("Your thank-you is on its way to Sam").wait_for()
    audit(me)
    screenshot(me, "help-member-thanked")
    assert mail.outbox[-1].to == [sam.email]
    sam_page.goto(f"/supporting/{member.pk}/")
    sam_page.get_by_text("It meant a lot.").wait_for()
