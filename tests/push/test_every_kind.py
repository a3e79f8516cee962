"""Every kind of reminder goes the way the person chose for it (a notification, an
email, both, or nothing), through the code that really sends it; in their quiet
hours it waits in its row until they end (a help alert never waits), and the sweep
finds it there, across midnight and a daylight-saving change."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from networks.models import SupportSource
from plans import nudges
from plans.models import Activity, HelpCall, Outcome, Plan, PlanSource
from recovery_support.push import notices, services
from recovery_support.push.models import DeliveryChoices, Notice, PushSubscription
from sharing import alerts, emails, help_emails
from sharing.models import Grant, HelpRequest, Review
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
PRIVATE = ("Jordan", "Maria", "SMART", "sister", "Dr. Ade", "Robin")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK).astimezone(UTC)


def choose(person, kind: str, channel: str, **quiet) -> None:
    DeliveryChoices.objects.update_or_create(
        owner=person, defaults={"channels": {kind: channel}, **quiet}
    )


def phone(person, pushes) -> None:
    PushSubscription.objects.create(owner=person, device_name="Phone", **pushes.subscription())


def all_notices(now=None) -> int:
    """What the delivery tasks the sweeps queued would send."""
    ids = list(Notice.objects.values_list("pk", flat=True))
    return notices.notices_deliver(notice_ids=ids, now=now)


# --- Each kind, by what really sends it ----------------------------------------------


def counselor_note(member, counselor, supporter, now):
    plan = Plan.objects.create(owner=member)
    review = Review.objects.create(
        plan=plan, counselor=counselor, counselor_name="Dr. Ade", status="reviewed"
    )
    emails.counselor_note_send(kind="review", note_id=review.pk)
    return member


def help_request(member, counselor, supporter, now):
    at = now + timedelta(days=2)
    asked = HelpRequest.objects.create(member=member, kind="ride", at=at, open_until=at)
    help_emails.announce_send(help_request_id=asked.pk)
    return supporter


def help_alert(member, counselor, supporter, now):
    Grant.objects.filter(grantee=supporter).update(alert_on_help=True)
    alerts.help_alerts_send(help_call_id=HelpCall.objects.create(owner=member).pk)
    return supporter


def _active_plan(member) -> Plan:
    return Plan.objects.create(owner=member, status=Plan.Status.ACTIVE)


def contact_nudge(member, counselor, supporter, now):
    _active_plan(member)
    sister = SupportSourceFactory(
        owner=member, name="Maria", relationship="Sister", contact_every_days=7
    )
    SupportSource.objects.filter(pk=sister.pk).update(created_at=now - timedelta(days=9))
    nudges.dispatch_nudges(now=now)
    all_notices(now)
    return member


def followup(member, counselor, supporter, now):
    plan = _active_plan(member)
    maria = SupportSourceFactory(owner=member, name="Maria")
    PlanSource.objects.create(
        plan=plan, source=maria, outcome=Outcome.FOLLOW_UP, follow_up_on=now.astimezone(NEW_YORK)
    )
    nudges.dispatch_nudges(now=now)
    all_notices(now)
    return member


def meeting(member, counselor, supporter, now):
    starts = (now + timedelta(minutes=40)).astimezone(NEW_YORK)
    Activity.objects.create(
        plan=_active_plan(member),
        title="SMART Recovery",
        weekday=starts.weekday(),
        time=starts.time().replace(second=0, microsecond=0),
    )
    nudges.dispatch_nudges(now=now)
    all_notices(now)
    return member


SENDS = {
    "counselor_note": counselor_note,
    "help_request": help_request,
    "help_alert": help_alert,
    "contact_nudge": contact_nudge,
    "followup": followup,
    "meeting": meeting,
}
CHANNELS = [("both", 1, 1), ("email", 1, 0), ("push", 0, 1), ("none", 0, 0)]
AFTERNOON = local(2026, 11, 24, 15, 0)  # a Tuesday


@pytest.fixture
def world(member, their_counselor, their_supporter):
    for person in (member, their_counselor, their_supporter):
        person.time_zone = "America/New_York"
        person.save()
    return member, their_counselor, their_supporter


def now_for(kind: str) -> datetime:
    # What the app sends as it happens is sent now; the nudges are found by a sweep
    # at the time it is given.
    return AFTERNOON if kind in ("contact_nudge", "followup", "meeting") else timezone.now()


@pytest.mark.parametrize("kind", sorted(SENDS))
@pytest.mark.parametrize(("channel", "emails_sent", "pushed"), CHANNELS)
def test_each_kind_goes_by_the_channel_chosen_for_it(
    world, vapid, pushes, kind, channel, emails_sent, pushed
):
    member, counselor, supporter = world
    recipient = {"help_request": supporter, "help_alert": supporter}.get(kind, member)
    choose(recipient, services.CHOSEN_AS.get(kind, kind), channel)
    phone(recipient, pushes)

    SENDS[kind](member, counselor, supporter, now_for(kind))

    if kind == "help_alert" and not pushed:
        emails_sent = 1  # a call for help reaches them by email at least
    assert [m.to for m in mail.outbox] == [[recipient.email]] * emails_sent
    assert [r.payload["title"] for r in pushes.received] == [services.MESSAGES[kind][0]] * pushed
    for received in pushes.received:
        assert not any(word in str(received.payload) for word in PRIVATE)
    if kind not in ("help_request", "help_alert", "counselor_note"):
        for message in mail.outbox:  # the nudges' emails name no one but their reader
            others = [word for word in PRIVATE if word != recipient.display_name]
            assert not any(word in message.subject + message.body for word in others)


@pytest.mark.parametrize("kind", ["counselor_note", "help_request"])
def test_a_message_in_quiet_hours_waits_in_its_row_and_the_sweep_sends_it_after(
    world, vapid, pushes, kind, django_capture_on_commit_callbacks
):
    """Quiet hours that hold the present moment (whatever the clock says now)."""
    member, counselor, supporter = world
    recipient = supporter if kind == "help_request" else member
    here = timezone.now().astimezone(NEW_YORK)
    start, end = (here - timedelta(hours=1)).time(), (here + timedelta(hours=1)).time()
    choose(recipient, kind, "both", quiet_start=start, quiet_end=end)
    phone(recipient, pushes)

    SENDS[kind](member, counselor, supporter, timezone.now())

    assert mail.outbox == [] and pushes.received == []
    held = Notice.objects.get()
    assert held.status == "pending" and held.queued_at is None
    ends = services.quiet_until(start, end, NEW_YORK, timezone.now())
    assert held.due_at == ends
    # Before the hours end the sweep leaves it; after, it queues it (no timed task
    # that a dead worker could lose).
    assert notices.dispatch_due_notices(now=ends - timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks() as queued:
        assert notices.dispatch_due_notices(now=ends + timedelta(minutes=1)) == 1
    assert len(queued) == 1
    assert notices.notices_deliver(notice_ids=[held.pk], now=ends + timedelta(minutes=1)) == 1
    assert [m.to for m in mail.outbox] == [[recipient.email]]
    assert len(pushes.received) == 1


def quiet_now() -> dict:
    """Quiet hours that hold the present moment, whatever the clock says."""
    here = timezone.now().astimezone(NEW_YORK)
    return {
        "quiet_start": (here - timedelta(hours=1)).time(),
        "quiet_end": (here + timedelta(hours=1)).time(),
    }


def test_a_help_alert_goes_at_once_in_quiet_hours(world, vapid, pushes):
    member, counselor, supporter = world
    quiet = quiet_now()
    choose(supporter, "help_request", "both", **quiet)
    phone(supporter, pushes)
    help_alert(member, counselor, supporter, timezone.now())
    assert [m.to for m in mail.outbox] == [[supporter.email]]
    assert len(pushes.received) == 1


@pytest.mark.parametrize(
    ("at", "ends"),
    [
        (local(2026, 11, 22, 23, 0), local(2026, 11, 23, 7, 0)),  # across midnight
        (local(2026, 3, 7, 23, 0), local(2026, 3, 8, 7, 0)),  # clocks go forward
        (local(2026, 10, 31, 23, 0), local(2026, 11, 1, 7, 0)),  # clocks go back
    ],
)
def test_a_held_notice_is_due_when_the_quiet_hours_end_on_the_wall_clock(world, at, ends):
    member, _, _ = world
    choose(member, "counselor_note", "email", quiet_start=time(22), quiet_end=time(7))
    [pk] = notices.notices_record([(member.pk, "meeting", "meeting-1")], queued=True, now=at)
    assert notices.notices_deliver(notice_ids=[pk], now=at) == 0
    assert Notice.objects.get().due_at == ends
    assert notices.dispatch_due_notices(now=ends - timedelta(seconds=1)) == 0
    assert notices.dispatch_due_notices(now=ends) == 1


def test_a_note_read_while_held_is_not_sent(world, vapid, pushes):
    member, counselor, supporter = world
    quiet = quiet_now()
    choose(member, "counselor_note", "both", **quiet)
    counselor_note(member, counselor, supporter, timezone.now())
    Review.objects.update(read_at=timezone.now())
    later = timezone.now() + timedelta(hours=2)
    assert notices.notices_deliver(notice_ids=[Notice.objects.get().pk], now=later) == 0
    assert mail.outbox == [] and Notice.objects.get().status == "dropped"


def test_a_meeting_reminder_is_not_sent_after_the_meeting_started(world):
    member, _, _ = world
    meeting_at = AFTERNOON + timedelta(minutes=40)
    starts = meeting_at.astimezone(NEW_YORK)
    Activity.objects.create(
        plan=_active_plan(member), title="SMART", weekday=starts.weekday(), time=starts.time()
    )
    nudges.dispatch_nudges(now=AFTERNOON)
    assert all_notices(meeting_at + timedelta(minutes=1)) == 0
    assert mail.outbox == []
