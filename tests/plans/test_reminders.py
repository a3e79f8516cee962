import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.db import connection
from django.urls import reverse

from plans import reminders
from plans.models import Activity, CheckIn, CheckInSchedule, Plan, Reminder
from tests.factories import SupportSourceFactory, UserFactory

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday, 09:00 in New York
NEW_YORK = "America/New_York"


def make_schedule(owner=None, *, due: datetime = NOW, **fields) -> CheckInSchedule:
    owner = owner or UserFactory(time_zone="America/New_York")
    return CheckInSchedule.objects.create(
        owner=owner, local_time=time(9, 0), next_due_at=due, **fields
    )


@pytest.mark.django_db
def test_the_sweep_claims_a_due_reminder_and_moves_the_schedule_on(
    django_capture_on_commit_callbacks,
):
    schedule = make_schedule()
    not_yet = make_schedule(due=NOW + timedelta(minutes=1))
    paused = make_schedule(paused=True)
    with django_capture_on_commit_callbacks() as queued:
        assert reminders.dispatch_due_reminders(now=NOW) == 1
    assert len(queued) == 1
    reminder = Reminder.objects.get()
    assert (reminder.schedule, reminder.due_at, reminder.status) == (schedule, NOW, "pending")
    schedule.refresh_from_db()
    assert schedule.next_due_at == NOW + timedelta(days=1)
    assert not Reminder.objects.filter(schedule__in=[not_yet, paused]).exists()


@pytest.mark.django_db
def test_a_second_sweep_sends_nothing_new(django_capture_on_commit_callbacks):
    make_schedule()
    with django_capture_on_commit_callbacks():
        reminders.dispatch_due_reminders(now=NOW)
    with django_capture_on_commit_callbacks() as queued:
        assert reminders.dispatch_due_reminders(now=NOW + timedelta(seconds=30)) == 0
    assert queued == [] and Reminder.objects.count() == 1


@pytest.mark.django_db
def test_after_an_outage_recent_reminders_are_sent_late_and_older_ones_recorded_as_skipped(
    django_capture_on_commit_callbacks,
):
    # Down since Friday morning; back on Monday at 10:30 New York time.
    schedule = make_schedule(due=NOW - timedelta(days=3))
    with django_capture_on_commit_callbacks():
        reminders.dispatch_due_reminders(now=NOW + timedelta(hours=1, minutes=30))
    statuses = dict(Reminder.objects.values_list("due_at", "status"))
    assert statuses == {
        NOW - timedelta(days=3): "skipped",
        NOW - timedelta(days=2): "skipped",
        NOW - timedelta(days=1): "skipped",
        NOW: "pending",  # 90 minutes late is within the grace window
    }
    schedule.refresh_from_db()
    assert schedule.next_due_at == NOW + timedelta(days=1)


@pytest.mark.django_db
def test_a_lost_task_is_queued_again_by_a_later_sweep(django_capture_on_commit_callbacks):
    make_schedule()
    with django_capture_on_commit_callbacks():
        reminders.dispatch_due_reminders(now=NOW)  # its task never ran (Redis lost it)
    with django_capture_on_commit_callbacks() as queued:
        assert reminders.dispatch_due_reminders(now=NOW + timedelta(minutes=6)) == 1
    assert len(queued) == 1


@pytest.mark.django_db
def test_delivery_sends_one_email_with_a_link_and_nothing_twice():
    schedule = make_schedule()
    reminder = Reminder.objects.create(schedule=schedule, due_at=NOW, queued_at=NOW)
    assert reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW)
    assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [schedule.owner.email]
    assert "/plan/checkin/link/" in message.body
    assert dict((m, c) for c, m in message.alternatives)["text/html"].count("/plan/checkin/link/")
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.sent_at is not None


@pytest.mark.django_db
def test_a_delivery_later_than_the_grace_window_is_recorded_as_skipped():
    reminder = Reminder.objects.create(schedule=make_schedule(), due_at=NOW, queued_at=NOW)
    assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW + timedelta(hours=3))
    reminder.refresh_from_db()
    assert reminder.status == "skipped" and mail.outbox == []


@pytest.mark.django_db
def test_no_reminder_for_a_day_already_checked_in():
    schedule = make_schedule()
    # Checked in at 08:00 in New York, an hour before the reminder.
    checkin = CheckIn.objects.create(
        owner=schedule.owner, day=date(2026, 11, 23), mood=4, craving=1, time_zone=NEW_YORK
    )
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=NOW - timedelta(hours=1))
    reminder = Reminder.objects.create(schedule=schedule, due_at=NOW, queued_at=NOW)
    assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW)
    assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW)
    reminder.refresh_from_db()
    assert reminder.status == "checked_in" and mail.outbox == []


@pytest.mark.django_db
def test_yesterdays_check_in_does_not_stop_todays_reminder():
    schedule = make_schedule()
    CheckIn.objects.create(
        owner=schedule.owner, day=date(2026, 11, 22), mood=4, craving=1, time_zone=NEW_YORK
    )
    reminder = Reminder.objects.create(schedule=schedule, due_at=NOW, queued_at=NOW)
    assert reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW)
    assert len(mail.outbox) == 1


def _in_threads(target, count: int = 2) -> list:
    results, barrier = [], threading.Barrier(count)

    def run():
        barrier.wait()
        try:
            results.append(target())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_reminder_once():
    for _ in range(40):
        make_schedule()
    results = _in_threads(lambda: reminders.dispatch_due_reminders(now=NOW), count=3)
    assert sum(results) == 40
    assert Reminder.objects.count() == 40


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_same_reminder_send_one_email():
    reminder = Reminder.objects.create(schedule=make_schedule(), due_at=NOW, queued_at=NOW)
    results = _in_threads(
        lambda: reminders.reminder_deliver(reminder_id=reminder.pk, now=NOW), count=3
    )
    assert sorted(results) == [False, False, True]
    assert len(mail.outbox) == 1


# --- The one-click link -----------------------------------------------------------


@pytest.fixture
def sent(member):
    schedule = make_schedule(owner=member)
    return Reminder.objects.create(schedule=schedule, due_at=NOW, status="sent")


@pytest.mark.django_db
def test_the_link_opens_the_check_in_once_for_the_right_account(signed_in, sent):
    url = reverse("plans:reminder-link", args=[reminders.link_token(sent)])
    first = signed_in.get(url)
    assert first.status_code == 302 and first.url == reverse("plans:checkin")
    again = signed_in.get(url)
    assert again.status_code == 410 and b"This link was already used" in again.content


@pytest.mark.django_db
def test_the_link_refuses_another_account(client, other_member, sent):
    client.force_login(other_member)
    response = client.get(reverse("plans:reminder-link", args=[reminders.link_token(sent)]))
    assert response.status_code == 403 and b"This link is for another account" in response.content
    sent.refresh_from_db()
    assert sent.link_used_at is None  # still usable by its owner


@pytest.mark.django_db
def test_the_link_refuses_a_tampered_token(signed_in, sent):
    token = reminders.link_token(sent)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    response = signed_in.get(reverse("plans:reminder-link", args=[tampered]))
    assert response.status_code == 403 and b"This link doesn" in response.content


@pytest.mark.django_db
def test_the_link_expires_after_a_day(signed_in, sent, monkeypatch):
    token = reminders.link_token(sent)
    later = signing.time.time() + reminders.LINK_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = signed_in.get(reverse("plans:reminder-link", args=[token]))
    assert response.status_code == 410 and b"This link has expired" in response.content


def test_the_link_asks_a_signed_out_person_to_sign_in_first(client, db, sent):
    url = reverse("plans:reminder-link", args=[reminders.link_token(sent)])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_reminder_is_one_quiet_digest_without_names(member):
    member.time_zone = "America/New_York"
    member.save()
    plan = Plan.objects.create(owner=member)
    today = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
    Activity.objects.create(
        plan=plan, title="SMART Recovery meeting", weekday=today.weekday(), time=time(19, 0)
    )
    ray = SupportSourceFactory(owner=member, name="Ray", contact_every_days=7)
    type(ray).objects.filter(pk=ray.pk).update(created_at=datetime.now(UTC) - timedelta(days=20))
    reminder = Reminder.objects.create(
        schedule=make_schedule(owner=member), due_at=datetime.now(UTC), queued_at=datetime.now(UTC)
    )
    assert reminders.reminder_deliver(reminder_id=reminder.pk)
    body = mail.outbox[0].body
    assert "a meeting at 7:00 PM" in body
    assert "1 person you planned to be in touch with" in body
    for private in ("SMART", "Ray", "Recovery meeting"):
        assert private not in body


@pytest.mark.django_db
def test_the_reminder_is_written_in_the_members_language_whoever_sends_it(member):
    """Rendered inside in_language_of(member): a Spanish speaker's meeting time reads
    the Spanish way ("7:00 p. m."), though the worker's language is English."""
    member.time_zone, member.language = "America/New_York", "es"
    member.save()
    plan = Plan.objects.create(owner=member)
    today = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
    Activity.objects.create(plan=plan, title="Meeting", weekday=today.weekday(), time=time(19, 0))
    reminder = Reminder.objects.create(
        schedule=make_schedule(owner=member), due_at=datetime.now(UTC), queued_at=datetime.now(UTC)
    )
    assert reminders.reminder_deliver(reminder_id=reminder.pk)
    body = mail.outbox[0].body
    assert "7:00 p" in body and "7:00 PM" not in body


@pytest.mark.django_db
def test_one_beat_run_queues_a_rush_bigger_than_one_batch(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Thousands due at 9:00 are queued in one run, not one batch a minute."""
    from plans import tasks
    from recovery_support.models import User

    monkeypatch.setattr(reminders, "SWEEP_BATCH", 3)
    monkeypatch.setattr(
        reminders.dispatch_due_reminders, "__kwdefaults__", {"now": None, "batch": 3}
    )
    people = User.objects.bulk_create(
        User(email=f"rush{n}@example.org", password="!", time_zone="UTC") for n in range(8)
    )
    due = datetime.now(UTC) - timedelta(minutes=1)
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(owner=p, local_time=time(9, 0), next_due_at=due) for p in people
    )
    with django_capture_on_commit_callbacks():
        assert tasks.sweep_reminders() == 8
    assert Reminder.objects.filter(status="pending").count() == 8
    assert not reminders.any_due()


# --- Batches, and reminders held by quiet hours ---------------------------------------


@pytest.mark.django_db
def test_a_reminder_held_by_quiet_hours_is_sent_after_them_even_if_its_timed_task_is_lost(
    django_capture_on_commit_callbacks,
):
    """The worker holding the timed task dies: the row says when to send, and the
    sweep after that sends it, though it is by then hours past its due time."""
    from recovery_support.push.models import DeliveryChoices

    schedule = make_schedule(due=NOW - timedelta(hours=12))  # 21:00 the evening before
    DeliveryChoices.objects.create(owner=schedule.owner, quiet_start=time(20), quiet_end=time(8))
    evening = NOW - timedelta(hours=12)
    with django_capture_on_commit_callbacks():
        reminders.dispatch_due_reminders(now=evening)
    reminder = Reminder.objects.get()
    with django_capture_on_commit_callbacks():  # the timed task, lost with its worker
        assert not reminders.reminder_deliver(reminder_id=reminder.pk, now=evening)
    ends = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(NEW_YORK))
    with django_capture_on_commit_callbacks() as queued:
        assert reminders.dispatch_due_reminders(now=ends + reminders.REQUEUE_AFTER * 2) == 1
    assert len(queued) == 1
    assert reminders.reminders_deliver(
        reminder_ids=[reminder.pk], now=ends + reminders.REQUEUE_AFTER * 2
    )
    assert [m.to for m in mail.outbox] == [[schedule.owner.email]]


@pytest.mark.django_db
def test_the_sweep_queues_one_task_per_batch_of_reminders(
    monkeypatch, django_capture_on_commit_callbacks
):
    from plans import tasks

    sent = []
    monkeypatch.setattr(reminders, "DELIVERY_BATCH", 4)
    monkeypatch.setattr(
        tasks.deliver_reminders, "apply_async", lambda args, **kw: sent.append(args[0])
    )
    for _ in range(10):
        make_schedule()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.dispatch_due_reminders(now=NOW) == 10
    assert [len(batch) for batch in sent] == [4, 4, 2]
    assert sorted(pk for batch in sent for pk in batch) == sorted(
        Reminder.objects.values_list("pk", flat=True)
    )


def _batch(size: int) -> list[int]:
    return [
        Reminder.objects.create(schedule=make_schedule(), due_at=NOW, queued_at=NOW).pk
        for _ in range(size)
    ]


@pytest.mark.django_db
def test_a_batch_is_read_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Per reminder only its claim: the guarded UPDATE (and, outside a test's
    transaction, its COMMIT AND CHAIN: the next test)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 20):
        ids = _batch(size)
        with CaptureQueriesContext(connection) as queries:
            assert reminders.reminders_deliver(reminder_ids=ids, now=NOW) == size
        counts.append(len(queries))
    per_reminder = (counts[1] - counts[0]) / 15
    assert per_reminder <= 3, counts


@pytest.mark.django_db
def test_reminders_by_notification_only_are_claimed_together():
    """No email to hand over first: the batch is marked sent in one statement, however
    many it holds, and a reminder sent meanwhile by another delivery is not counted."""
    from django.test.utils import CaptureQueriesContext

    from recovery_support.push.models import DeliveryChoices

    counts = []
    for size in (5, 20):
        ids = _batch(size)
        for reminder in Reminder.objects.filter(pk__in=ids).select_related("schedule"):
            DeliveryChoices.objects.create(
                owner_id=reminder.schedule.owner_id, channels={"checkin": "push"}
            )
        Reminder.objects.filter(pk=ids[0]).update(status="sent")  # sent by another delivery
        with CaptureQueriesContext(connection) as queries:
            assert reminders.reminders_deliver(reminder_ids=ids, now=NOW) == size - 1
        counts.append(len(queries))
        assert Reminder.objects.filter(pk__in=ids, status="sent").count() == size
    assert counts[0] == counts[1], counts
    assert not mail.outbox


@pytest.mark.django_db
def test_when_the_mail_server_fails_the_notifications_wait_for_the_task_to_run_again(settings):
    """The emails go first: a batch stopped by its mail server (the task is retried)
    has claimed none of its notifications, which the second run then sends."""
    from recovery_support.devstack import free_port
    from recovery_support.push.models import DeliveryChoices

    ids = _batch(3)
    owners = list(Reminder.objects.filter(pk__in=ids).values_list("schedule__owner", flat=True))
    for owner_id in owners[1:]:
        DeliveryChoices.objects.create(owner_id=owner_id, channels={"checkin": "push"})
    settings.MAILERS = {
        "default": {
            "BACKEND": "recovery_support.emails.SmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "use_tls": False},
        }
    }
    with pytest.raises(OSError):
        reminders.reminders_deliver(reminder_ids=ids, now=NOW)
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"pending"}


@pytest.mark.django_db(transaction=True)
def test_each_email_is_marked_sent_for_good_as_it_is_handed_over(settings):
    """As a worker runs it (no transaction around it): a claim and its commit an email,
    the commit starting the next one's transaction. The mail server refuses the third
    address: the two handed over before it stay marked sent, in the database for
    everyone, and the others wait for the task to run again."""
    import smtplib

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from tests.smtp_sink import SmtpSink

    ids = _batch(5)
    emails = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "schedule__owner__email"))
    with SmtpSink() as sink:
        sink.refuse.add(emails[ids[2]])
        settings.MAILERS = {
            "default": {
                "BACKEND": "recovery_support.emails.SmtpBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "use_tls": False},
            }
        }
        with CaptureQueriesContext(connection) as queries, pytest.raises(smtplib.SMTPException):
            reminders.reminders_deliver(reminder_ids=ids, now=NOW)
        assert sorted(m["To"] for m in sink.messages) == sorted([emails[ids[0]], emails[ids[1]]])
    claims = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    chained = [q["sql"] for q in queries.captured_queries if q["sql"] == "COMMIT AND CHAIN"]
    assert (len(claims), len(chained)) == (3, 2)
    # Read over another connection: what was committed, not what this one sees.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT id, status FROM plans_reminder WHERE id = ANY(%s)", [ids])
            statuses = dict(cursor.fetchall())
    finally:
        other.close()
    assert [statuses[pk] for pk in ids] == ["sent", "sent", "pending", "pending", "pending"]


@pytest.mark.django_db(transaction=True)
def test_a_batch_goes_over_one_smtp_connection(settings):
    from tests.smtp_sink import SmtpSink

    ids = _batch(5)
    with SmtpSink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "recovery_support.emails.SmtpBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "use_tls": False},
            }
        }
        assert reminders.reminders_deliver(reminder_ids=ids, now=NOW) == 5
        assert sink.connections == 1
        assert len({m["To"] for m in sink.messages}) == 5
    assert Reminder.objects.filter(pk__in=ids, status="sent").count() == 5
