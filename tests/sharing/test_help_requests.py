"""Practical help: a member asks, supporters with a live grant see it and are emailed
once, one of them takes it on (exactly one, however many press at once), is reminded
before it, and can hand it back; the member sees who, thanks them, or cancels."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing import help_reminders, help_requests
from sharing.models import Grant, HelpRequest
from tests.factories import SupportSourceFactory, UserFactory

NEW_YORK = ZoneInfo("America/New_York")


def next_tuesday(hour: int = 18, minute: int = 30) -> datetime:
    """Next Tuesday at this time, in the member's zone (at least a day ahead)."""
    day = timezone.localdate(timezone=NEW_YORK) + timedelta(days=2)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


@pytest.fixture
def sam(member):
    """A second supporter of the member."""
    person = UserFactory(display_name="Sam")
    Grant.objects.create(member=member, grantee=person, role="supporter")
    return person


def as_person(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client, member, *, at: datetime | None = None, chosen=(), **fields):
    data = {"kind": "ride", "where": "St Mark's hall", "note": "To my Tuesday meeting"}
    if at is None:
        data["when"] = "week"
    else:
        data.update(when="at", on=at.date().isoformat(), at_time=at.strftime("%H:%M"))
    if chosen:
        grants = Grant.objects.filter(member=member, grantee__in=chosen)
        data.update(who="chosen", chosen=[g.pk for g in grants])
    else:
        data["who"] = "everyone"
    data.update(fields)
    return client.post(reverse("sharing:help-request-create"), data)


def supporting_page(user, member) -> str:
    return as_person(user).get(reverse("sharing:supporting", args=[member.pk])).content.decode()


def claim(user, member, help_request):
    url = reverse("sharing:help-claim", args=[member.pk, help_request.pk])
    return as_person(user).post(url)


# --- Asking, and who is told ------------------------------------------------------


def test_each_supporter_is_emailed_once_with_what_and_when_but_not_the_note(
    signed_in, member, their_supporter, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(signed_in, member, at=next_tuesday())
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.at == next_tuesday() and help_request.open_until == help_request.at
    assert sorted(m.to[0] for m in mail.outbox) == sorted([their_supporter.email, sam.email])
    from sharing.tasks import announce_help_request

    announce_help_request.delay(help_request.pk)  # a repeated task sends nothing more
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "Jordan" not in message.subject
    assert "Jordan could use a hand: a ride, Tuesday" in message.body
    assert "6:30 PM" in message.body
    for private in ("St Mark", "Tuesday meeting"):
        assert private not in message.body and private not in message.alternatives[0][0]


def test_the_html_of_the_email_escapes_a_hostile_name(
    signed_in, member, their_supporter, django_capture_on_commit_callbacks
):
    member.display_name = '<img src=x onerror="alert(1)">'
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(signed_in, member)
    html = mail.outbox[0].alternatives[0][0]
    assert "<img" not in html and "&lt;img" in html


def test_only_the_chosen_supporters_see_and_can_take_it(
    signed_in, member, their_supporter, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(signed_in, member, at=next_tuesday(), chosen=[sam])
    help_request = HelpRequest.objects.get()
    assert [m.to[0] for m in mail.outbox] == [sam.email]
    assert "I'll do it" in supporting_page(sam, member)
    assert "I'll do it" not in supporting_page(their_supporter, member)
    claim(their_supporter, member, help_request)
    help_request.refresh_from_db()
    assert help_request.claimed_by is None


def test_a_tie_marked_a_risk_is_never_offered_a_request(
    signed_in, member, their_supporter, sam, django_capture_on_commit_callbacks
):
    risky = SupportSourceFactory(owner=member, name="Robin", influence="risk")
    Grant.objects.filter(grantee=their_supporter).update(source=risky)
    # Sam is the same person as a risky source by email alone.
    SupportSourceFactory(owner=member, name="S.", influence="risk", email=sam.email.upper())
    page = signed_in.get(reverse("sharing:help-requests")).content.decode()
    assert "Nobody supports you here yet" in page, "nobody may be offered it"

    grant = Grant.objects.get(grantee=their_supporter)
    response = ask(signed_in, member, chosen=[their_supporter])
    assert response.status_code == 422
    # Made another way, and chosen for everyone: still nobody is told or shown it.
    with django_capture_on_commit_callbacks(execute=True):
        help_request = help_requests.help_request_create(
            member=member, kind="meal", on=None, at_time=None, where="", note="", chosen=[grant]
        )
    assert mail.outbox == []
    for person in (their_supporter, sam):
        assert "I'll do it" not in supporting_page(person, member)
        claim(person, member, help_request)
    help_request.refresh_from_db()
    assert help_request.claimed_by is None


def test_someone_whose_access_ended_cannot_see_or_take_it(member, their_supporter):
    help_request = help_requests.help_request_create(
        member=member, kind="meal", on=None, at_time=None, where="", note="", chosen=None
    )
    Grant.objects.filter(grantee=their_supporter).update(revoked_at=timezone.now())
    assert claim(their_supporter, member, help_request).status_code == 404
    help_request.refresh_from_db()
    assert help_request.claimed_by is None


def test_a_time_already_gone_or_far_off_is_refused_and_what_was_typed_kept(
    signed_in, member, their_supporter
):
    past = timezone.now().astimezone(NEW_YORK) - timedelta(hours=2)
    response = ask(signed_in, member, at=past, note="Please, if you can")
    assert response.status_code == 422
    assert "still to come" in response.content.decode()
    assert "Please, if you can" in response.content.decode()
    far = ask(signed_in, member, at=next_tuesday() + timedelta(days=200))
    assert far.status_code == 422
    no_day = ask(signed_in, member, when="at")
    assert no_day.status_code == 422 and "Choose the day." in no_day.content.decode()
    assert not HelpRequest.objects.exists()


# --- Taking it on ----------------------------------------------------------------


def test_the_claimer_is_shown_to_the_member_and_to_the_other_supporters(
    signed_in, member, their_supporter, sam
):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    assert claim(sam, member, help_request).status_code == 302
    help_request.refresh_from_db()
    assert help_request.claimed_by == sam
    assert "Sam is on it" in signed_in.get(reverse("sharing:help-requests")).content.decode()
    robin_sees = supporting_page(their_supporter, member)
    assert "Sam is on it" in robin_sees and "I'll do it" not in robin_sees
    assert "You're on it" in supporting_page(sam, member)
    # Robin pressing late changes nothing.
    claim(their_supporter, member, help_request)
    help_request.refresh_from_db()
    assert help_request.claimed_by == sam


@pytest.mark.django_db(transaction=True)
def test_of_two_supporters_claiming_at_once_exactly_one_gets_it(member, their_supporter):
    sam = UserFactory(display_name="Sam")
    Grant.objects.create(member=member, grantee=sam, role="supporter")
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    grants = list(Grant.objects.filter(member=member).select_related("member", "grantee"))
    both_ready = threading.Barrier(len(grants))
    results = {}

    def take_it_on(grant):
        try:
            both_ready.wait()  # each on its own connection, at the same moment
            results[grant.grantee_id] = help_requests.help_request_claim(
                grant=grant, pk=help_request.pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=take_it_on, args=(grant,)) for grant in grants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False, True]
    winner = next(pk for pk, won in results.items() if won)
    assert HelpRequest.objects.get().claimed_by_id == winner


def test_a_supporter_hands_it_back_with_a_word_and_it_opens_again(
    signed_in, member, their_supporter, sam, django_capture_on_commit_callbacks
):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    claim(sam, member, help_request)
    url = reverse("sharing:help-hand-back", args=[member.pk, help_request.pk])
    assert as_person(their_supporter).post(url, {"note": "x"}).status_code == 404, "not theirs"
    too_long = as_person(sam).post(url, {"note": "x" * 281})
    assert too_long.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = as_person(sam).post(url, {"note": "My car broke down, so sorry"})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.claimed_by is None and help_request.remind_at is None
    page = signed_in.get(reverse("sharing:help-requests")).content.decode()
    assert "Sam handed this back: “My car broke down, so sorry”" in page
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "My car broke down" not in mail.outbox[0].body
    assert "I'll do it" in supporting_page(their_supporter, member)


def test_the_member_thanks_them_with_a_draft_they_can_change(
    signed_in, member, their_supporter, django_capture_on_commit_callbacks
):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    url = reverse("sharing:help-request-thank", args=[help_request.pk])
    assert signed_in.get(url).status_code == 404, "nobody to thank yet"
    claim(their_supporter, member, help_request)
    draft = signed_in.get(url).content.decode()
    assert "Thank you, Robin, for the ride." in draft
    assert signed_in.post(url, {"thanks": ""}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url, {"thanks": "Robin, you're a star. Thank you!"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[their_supporter.email]]
    assert "Robin, you're a star. Thank you!" in mail.outbox[0].body
    assert "a star. Thank you!" in supporting_page(their_supporter, member)
    signed_in.post(url, {"thanks": "Again"})  # sent once
    assert len(mail.outbox) == 1


def test_the_member_cancels_and_whoever_took_it_on_is_told(
    signed_in, member, their_supporter, django_capture_on_commit_callbacks
):
    help_request = help_requests.help_request_create(
        member=member, kind="meal", on=None, at_time=None, where="", note="", chosen=None
    )
    claim(their_supporter, member, help_request)
    url = reverse("sharing:help-request-cancel", args=[help_request.pk])
    assert as_person(their_supporter).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in.post(url).status_code == 302
    help_request.refresh_from_db()
    assert help_request.cancelled_at is not None and help_request.remind_at is None
    assert [m.to for m in mail.outbox] == [[their_supporter.email]]
    assert "no longer needs a meal" in mail.outbox[0].body
    assert "You're on it" not in supporting_page(their_supporter, member)


def test_a_request_whose_time_has_passed_closes_by_itself(signed_in, member, their_supporter):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(
        open_until=timezone.now() - timedelta(minutes=1)
    )
    assert "I'll do it" not in supporting_page(their_supporter, member)
    claim(their_supporter, member, help_request)
    help_request.refresh_from_db()
    assert help_request.claimed_by is None
    page = signed_in.get(reverse("sharing:help-requests")).content.decode()
    assert "nobody was free this time" in page


# --- The claimer's reminder ------------------------------------------------------


def test_taking_it_on_sets_the_reminder_a_day_before_or_two_hours_before(member):
    at = timezone.now() + timedelta(days=3)
    help_request = HelpRequest(member=member, kind="ride", at=at, open_until=at)
    now = timezone.now()
    assert help_requests.reminder_time(help_request, now) == at - timedelta(days=1)
    assert help_requests.reminder_time(help_request, at - timedelta(hours=20)) == at - timedelta(
        hours=2
    )
    assert help_requests.reminder_time(help_request, at - timedelta(hours=2, minutes=30)) is None


def test_the_reminder_goes_once_however_often_the_sweep_and_delivery_run(
    member, their_supporter, django_capture_on_commit_callbacks
):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="Hall", note="", chosen=None
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(
        claimed_by=their_supporter, remind_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert help_reminders.dispatch_due_help_reminders() == 1
        assert help_reminders.dispatch_due_help_reminders() == 0, "already queued"
    assert [m.to for m in mail.outbox] == [[their_supporter.email]]
    assert "A reminder: you offered Jordan a ride" in mail.outbox[0].body
    assert "Hall" not in mail.outbox[0].body
    assert not help_reminders.help_reminder_deliver(help_request_id=help_request.pk)
    help_request.refresh_from_db()
    assert help_request.remind_at is None and help_request.reminded_at is not None
    assert len(mail.outbox) == 1


def test_a_reminder_lost_with_its_message_is_queued_again(member, their_supporter):
    help_request = help_requests.help_request_create(
        member=member, kind="ride", on=None, at_time=None, where="", note="", chosen=None
    )
    now = timezone.now()
    HelpRequest.objects.filter(pk=help_request.pk).update(
        claimed_by=their_supporter, remind_at=now, reminder_queued_at=now
    )
    assert help_reminders.dispatch_due_help_reminders(now=now) == 0
    later = now + help_reminders.REQUEUE_AFTER + timedelta(seconds=1)
    assert help_reminders.dispatch_due_help_reminders(now=later) == 1


def test_no_reminder_for_help_that_was_cancelled_or_has_passed(member, their_supporter):
    now = timezone.now()
    cancelled, passed = (
        HelpRequest.objects.create(
            member=member,
            kind="ride",
            open_until=now + timedelta(days=1),
            claimed_by=their_supporter,
            remind_at=now - timedelta(minutes=1),
            cancelled_at=now,
        ),
        HelpRequest.objects.create(
            member=member,
            kind="meal",
            open_until=now - timedelta(minutes=1),
            claimed_by=their_supporter,
            remind_at=now - timedelta(hours=3),
        ),
    )
    help_reminders.dispatch_due_help_reminders()
    assert not help_reminders.help_reminder_deliver(help_request_id=cancelled.pk)
    assert not help_reminders.help_reminder_deliver(help_request_id=passed.pk)
    assert mail.outbox == []
    passed.refresh_from_db()
    assert passed.remind_at is None, "dropped, not due for ever"


# --- Queries ---------------------------------------------------------------------


def fill(member, supporters, size: int) -> None:
    now = timezone.now()
    grants = list(Grant.objects.filter(member=member))
    for n in range(size):
        at = now + timedelta(days=1 + n % 20, hours=n)
        help_request = HelpRequest.objects.create(
            member=member,
            kind="ride",
            at=at,
            open_until=at,
            for_everyone=n % 2 == 0,
            claimed_by=supporters[n % len(supporters)] if n % 3 == 0 else None,
            thanks="Thanks!" if n % 3 == 0 else "",
            thanked_at=now if n % 3 == 0 else None,
        )
        if n % 2:
            help_request.offered_to.set(grants)


@pytest.mark.parametrize("size", [1, 30])
def test_the_supporters_home_and_the_request_list_run_a_fixed_number_of_queries(
    size, member, their_supporter, sam, django_assert_num_queries
):
    fill(member, [their_supporter, sam], size)
    member_client, supporter_client = as_person(member), as_person(their_supporter)
    # session, user, supporters to offer, requests, the people chosen (with their names)
    with django_assert_num_queries(5):
        assert member_client.get(reverse("sharing:help-requests")).status_code == 200
    # session, user, grant, access record + last viewed, goals, sent messages,
    # requests for help, lessons read
    with django_assert_num_queries(9):
        url = reverse("sharing:supporting", args=[member.pk])
        assert supporter_client.get(url).status_code == 200
