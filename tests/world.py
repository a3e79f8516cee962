"""The world of the access matrix, shared with tests/security: a member with one of
each kind of object, their counselor and supporter, and the people around them who
must not get in (tests/sharing/test_access_matrix.py lists who may reach what)."""

from datetime import time, timedelta

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
from sharing import calendar_feed
from sharing.help_requests import week_end
from sharing.models import Comment, Encouragement, Grant, HelpRequest, Invitation
from tests.factories import CounselorFactory, SupportSourceFactory, UserFactory


def build_world(*, member, other_member, counselor, supporter) -> dict:
    """{"people": {role: user}, "objects": {name: pk or URL value}}."""
    today = member.local_today()
    source = SupportSourceFactory(owner=member, name="Aunt May")
    plan = Plan.objects.create(owner=member)
    plan_source = PlanSource.objects.create(plan=plan, source=source, outcome="agreed")
    schedule = CheckInSchedule(owner=member, local_time=time(9, 0))
    reminders.schedule_start(schedule=schedule)
    schedule.save()
    reminder = schedule.reminders.create(due_at=timezone.now(), status="sent")
    CheckIn.objects.create(owner=member, day=today, mood=3, craving=4)

    def counselor_with(**grant):
        person = CounselorFactory()
        Grant.objects.create(member=member, grantee=person, role="counselor", **grant)
        return person

    other_supporter = UserFactory()
    Grant.objects.create(member=other_member, grantee=other_supporter, role="supporter")

    def help_request(**fields):
        until = week_end(timezone.now(), timezone.get_default_timezone()) + timedelta(days=7)
        return HelpRequest.objects.create(member=member, kind="ride", open_until=until, **fields)

    return {
        "people": {
            "member": member,
            "other_member": other_member,
            "counselor": counselor,
            "supporter": supporter,
            "counselor_without_grant": CounselorFactory(),
            "counselor_after_revocation": counselor_with(revoked_at=timezone.now()),
            "counselor_after_end_date": counselor_with(ends_on=today - timedelta(days=1)),
            "other_members_supporter": other_supporter,
        },
        "objects": {
            "member": member.pk,
            "source": source.pk,
            "plan_source": plan_source.pk,
            "relapse_item": RelapseItem.objects.create(
                plan=plan, kind="trigger", description="Payday", coping="Call"
            ).pk,
            "goal": Goal.objects.create(plan=plan, title="Walk").pk,
            "activity": Activity.objects.create(
                plan=plan, title="Meeting", weekday=1, time="19:00"
            ).pk,
            "reminder_token": reminders.link_token(reminder),
            "invitation": Invitation.objects.create(
                member=member,
                email="x@example.org",
                role="supporter",
                token_hash="0" * 64,
                expires_at=timezone.now() + timedelta(days=7),
            ).pk,
            "supporter_grant": Grant.objects.get(grantee=supporter).pk,
            "encouragement": Encouragement.objects.create(
                grant=Grant.objects.get(grantee=supporter), body="You've got this"
            ).pk,
            "counselor_grant": Grant.objects.get(grantee=counselor).pk,
            "comment": Comment.objects.create(
                plan=plan, author=counselor, author_name="Dr. Ade", step=4, body="Hm?"
            ).pk,
            "help_call": HelpCall.objects.create(owner=member).pk,
            "made_up_token": "z" * 43,
            "help_request": help_request(where="Hall", note="Tuesday").pk,
            "claimed_request": help_request(
                claimed_by=supporter, claimed_at=timezone.now(), remind_at=timezone.now()
            ).pk,
            "calendar_token": calendar_feed.feed_token_create(owner=member),
        },
    }
