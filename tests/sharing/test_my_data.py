"""The member's own data: all of it exported, all of it gone on deletion."""

import json
from datetime import time, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans import reminders
from plans.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Goal,
    HelpCall,
    Plan,
    PlanSource,
    RelapseItem,
)
from recovery_support.models import User
from recovery_support.push.models import DeliveryChoices, Notice, PushSubscription
from sharing import calendar_feed, guidance, services
from sharing.models import AccessRecord, CounselorDigest, Grant, HelpRequest, Invitation
from sharing.my_data import OWNED, account_delete
from sharing.tasks import clear_orphaned_records
from tests.conftest import give_password_again
from tests.factories import PASSWORD, SupportSourceFactory

OUR_APPS = ("recovery_support", "push", "networks", "plans", "sharing")
# Every other model of ours holds rows that belong to some member.
# The day a counselor's digest went, kept so that one goes a day (sharing/digests.py),
# and no page shows it.
NOT_OWNED = {CounselorDigest}


@pytest.fixture
def everything(member, their_counselor, their_supporter, other_member):
    """One row (at least) of every kind the member can own."""
    source = SupportSourceFactory(owner=member, name="Aunt May")
    from networks.services import contact_log

    contact_log(source=source)
    plan = Plan.objects.create(owner=member, status="active", activated_at=timezone.now())
    PlanSource.objects.create(plan=plan, source=source, outcome="agreed")
    Activity.objects.create(plan=plan, title="Meeting", weekday=1, time=time(19))
    trigger = RelapseItem.objects.create(plan=plan, kind="trigger", description="P", coping="C")
    Goal.objects.create(plan=plan, title="Walk", visibility="supporters")
    plan.revisions.create(author=member, changes=[{"what": "x"}])
    schedule = CheckInSchedule(owner=member, local_time=time(9))
    reminders.schedule_start(schedule=schedule)
    schedule.save()
    schedule.reminders.create(due_at=timezone.now())
    checkin = CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=3, craving=2)
    checkin.triggers.set([trigger])
    checkin.supports_contacted.set([source])
    counselor_grant = Grant.objects.get(grantee=their_counselor)
    supporter_grant = Grant.objects.get(grantee=their_supporter)
    services.access_record(grant=counselor_grant, what="plan")
    services.comment_add(grant=counselor_grant, plan=plan, step=1, body="Nice")
    services.review_save(grant=counselor_grant, plan=plan, status="reviewed", note="")
    services.encouragement_send(grant=supporter_grant, body="Go you")
    slip = HelpCall.objects.create(owner=member, kind="slip", note="After the party.")
    slip.tell.set([their_supporter])
    counselor_grant.alerts.create(kind="help", key=timezone.localdate())
    counselor_grant.alerts.create(kind="slip", key=timezone.localdate(), help_call=slip)
    Invitation.objects.create(
        member=member,
        email="x@example.org",
        role="supporter",
        token_hash="1" * 64,
        expires_at=timezone.now(),
    )
    TOTP.activate(member, generate_totp_secret())
    PushSubscription.objects.create(
        owner=member, endpoint="https://push.example/1", p256dh="k", auth="a", device_name="Phone"
    )
    DeliveryChoices.objects.create(owner=member, channels={"checkin": "push"})
    Notice.objects.create(recipient=member, kind="meeting", key="meeting-1", due_at=timezone.now())
    # The member supports someone else too, and took on a request of theirs.
    Grant.objects.create(member=other_member, grantee=member, role="supporter")
    week = timezone.now() + timedelta(days=3)
    HelpRequest.objects.create(member=member, kind="meal", open_until=week)
    HelpRequest.objects.create(member=other_member, kind="ride", open_until=week, claimed_by=member)
    calendar_feed.feed_token_create(owner=member)
    guidance.lesson_mark_read(reader=member, slug="talking")
    return member


def test_every_model_is_either_exported_or_known_not_to_be_owned():
    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert ours - NOT_OWNED <= {owned.model for owned in OWNED}


def test_the_export_holds_every_row_the_member_owns(signed_in, everything):
    give_password_again(signed_in)
    response = signed_in.get(reverse("sharing:export-json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)["data"]
    for owned in OWNED:
        in_db = set(owned.rows(everything).values_list("pk", flat=True))
        exported = {row["id"] for row in data[owned.key]}
        assert in_db, f"the fixture makes at least one {owned.model.__name__}"
        assert exported == in_db, owned.model.__name__
    assert "password" not in data["recovery_support.User"][0]
    assert all("token_hash" not in row for row in data["sharing.Invitation"])
    assert "token_hash" not in data["sharing.CalendarFeed"][0]
    checkin = data["plans.CheckIn"][0]
    assert checkin["triggers"] and checkin["supports_contacted"]


def test_the_printable_export_shows_every_section(signed_in, everything):
    give_password_again(signed_in)
    html = signed_in.get(reverse("sharing:export-page")).content.decode()
    assert "Aunt May" in html and "Go you" in html
    assert "argon2" not in html


def test_deleting_needs_the_password_and_keeps_everything_when_wrong(signed_in, everything):
    response = signed_in.post(reverse("sharing:delete-account"), {"password": "nope"})
    assert response.status_code == 422
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=everything.pk).exists()


def test_deleting_removes_every_row_ends_sessions_and_tells_those_with_access(
    signed_in, everything, their_counselor, their_supporter, django_capture_on_commit_callbacks
):
    member = everything
    other_browser = Client()
    other_browser.force_login(member)
    owned_before = {owned: list(owned.rows(member).values_list("pk", flat=True)) for owned in OWNED}

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("sharing:delete-account"), {"password": PASSWORD})

    assert response.status_code == 302
    for owned, pks in owned_before.items():
        # Someone else's rows that named them (help they took on) stay, without them.
        left = owned.rows(member) if owned.only else owned.model.objects.filter(pk__in=pks)
        assert not left.exists(), owned.key
    assert other_browser.get(reverse("dashboard")).status_code == 302, "signed out everywhere"
    assert signed_in.get(reverse("dashboard")).status_code == 302
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([their_counselor.email, their_supporter.email])
    for message in mail.outbox:
        assert "ended" in message.body
        assert "deleted" not in message.body.lower(), "without saying why"


def test_when_a_viewer_deletes_their_account_the_members_record_of_them_stays(
    member, their_counselor
):
    """Access records carry no constraint in PostgreSQL (sharing.AccessRecord): Django
    clears the viewer of a deleted account, and the name stays for the member to read."""
    grant = Grant.objects.get(member=member, grantee=their_counselor)
    services.access_record(grant=grant, what="network, plan and check-ins")
    account_delete(user=their_counselor)
    record = AccessRecord.objects.get(member=member)
    assert record.viewer_id is None
    assert record.viewer_name == "Dr. Ade"
    account_delete(user=member)
    assert not AccessRecord.objects.exists()


def test_records_left_by_a_view_that_raced_a_deletion_are_cleared_within_the_hour(
    member, their_counselor
):
    """A client list view that began before a member deleted their account writes its
    records after the deletion (no constraint stops it): beat's hourly task removes
    them, and clears a viewer whose account is gone."""
    gone = User.objects.order_by("-pk").first().pk + 1000
    AccessRecord.objects.create(
        member_id=gone, viewer=their_counselor, viewer_name="Dr. Ade", role="counselor"
    )
    kept = AccessRecord.objects.create(
        member=member, viewer_id=gone, viewer_name="Dr. Gone", role="counselor"
    )
    assert clear_orphaned_records() == 1
    assert list(AccessRecord.objects.values_list("pk", "viewer_id", "viewer_name")) == [
        (kept.pk, None, "Dr. Gone")
    ]


MEMBERS_CONSENTS = ("hide_messages", "show_streak", "show_missed", "alert_on_help", "alert_after")


def test_a_supporters_export_holds_only_what_is_theirs_to_know(member, their_supporter):
    """Who they support, as what, since and until when, and their own messages: not the
    choices the member made about them (hiding their messages, say)."""
    grant = Grant.objects.get(grantee=their_supporter)
    Grant.objects.filter(pk=grant.pk).update(hide_messages=True, show_streak=True)
    services.encouragement_send(grant=grant, body="Go you")
    supporter = Client()
    supporter.force_login(their_supporter)
    give_password_again(supporter)

    body = supporter.get(reverse("sharing:export-json")).content.decode()
    page = supporter.get(reverse("sharing:export-page")).content.decode()

    for consent in MEMBERS_CONSENTS:
        assert consent not in body, consent
        assert consent not in page, consent
    data = json.loads(body)["data"]
    held = [row for rows in data.values() for row in rows if row.get("member") == "Jordan"]
    assert len(held) == 1
    assert held[0].pop("created_at").startswith(grant.created_at.date().isoformat())
    assert held[0] == {"id": grant.pk, "member": "Jordan", "role": "supporter", "ends_on": None}
    assert [row["body"] for row in data["sharing.Encouragement"]] == ["Go you"]
    assert "Jordan" in page and "Go you" in page


def test_the_member_still_exports_every_choice_they_made(signed_in, member, their_supporter):
    Grant.objects.filter(grantee=their_supporter).update(hide_messages=True)
    give_password_again(signed_in)
    data = json.loads(signed_in.get(reverse("sharing:export-json")).content)["data"]
    assert [row["hide_messages"] for row in data["sharing.Grant"]] == [True]
