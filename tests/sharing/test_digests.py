"""A counselor's daily news: which clients answered a comment or changed their plan,
in one email a day at most, in the morning where the counselor is, and in each
client's access log."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from plans.models import Plan
from sharing import digests
from sharing.models import AccessRecord, CounselorDigest, Grant
from tests.factories import SupportSourceFactory

# 9:00 in New York, where the factories' people are.
MORNING = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def plan(member):
    return Plan.objects.create(owner=member, status="active", activated_at=timezone.now())


def answer(plan, at, body="Sam said yes."):
    first = plan.comments.create(author_name="Dr. Ade", step=2, body="Who did you ask?")
    reply = plan.comments.create(parent=first, by_member=True, step=2, body=body)
    plan.comments.filter(pk__in=[first.pk, reply.pk]).update(created_at=at)


@pytest.fixture(autouse=True)
def access_from_before(member, their_counselor):
    Grant.objects.filter(member=member).update(created_at=MORNING - timedelta(days=30))


def test_a_client_who_answered_is_in_the_next_mornings_email(member, their_counselor, plan):
    answer(plan, MORNING - timedelta(hours=3))

    assert digests.counselor_digests_send(now=MORNING) == 1

    [email] = mail.outbox
    assert email.to == [their_counselor.email]
    assert "Jordan answered a comment." in email.body
    assert f"/clients/{member.pk}/" in email.body
    assert "Sam said yes" not in email.body  # what they wrote stays behind the sign-in
    assert AccessRecord.objects.filter(
        member=member, viewer=their_counselor, what="an email: you answered a comment"
    ).exists()


def test_one_email_a_day_at_most(member, their_counselor, plan):
    answer(plan, MORNING - timedelta(hours=3))
    assert digests.counselor_digests_send(now=MORNING) == 1
    answer(plan, MORNING + timedelta(minutes=30), body="And Kim too.")
    for hours in (1, 2, 9):  # the sweep runs every hour; the same day where they are
        assert digests.counselor_digests_send(now=MORNING + timedelta(hours=hours)) == 0
    assert len(mail.outbox) == 1
    # The next morning: what came after the last email, and only that.
    assert digests.counselor_digests_send(now=MORNING + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
    assert CounselorDigest.objects.filter(counselor=their_counselor).count() == 2
    assert digests.counselor_digests_send(now=MORNING + timedelta(days=2)) == 0


def test_not_before_the_morning_where_the_counselor_is(member, their_counselor, plan):
    answer(plan, MORNING - timedelta(hours=9))
    night = MORNING - timedelta(hours=6)  # 3:00 in New York
    assert digests.counselor_digests_send(now=night) == 0
    their_counselor.time_zone = "Europe/Paris"  # 9:00 there
    their_counselor.save()
    assert digests.counselor_digests_send(now=night) == 1


def test_a_changed_plan_is_news_but_not_what_the_member_keeps_private(
    member, their_counselor, plan
):
    private = SupportSourceFactory(owner=member, is_private=True)
    kept = plan.revisions.create(author=member, changes=[{"what": "x"}], source_ids=[private.pk])
    plan.revisions.filter(pk=kept.pk).update(created_at=MORNING - timedelta(hours=3))
    assert digests.counselor_digests_send(now=MORNING) == 0
    shown = plan.revisions.create(author=member, changes=[{"what": "Goal"}])
    plan.revisions.filter(pk=shown.pk).update(created_at=MORNING - timedelta(hours=2))
    assert digests.counselor_digests_send(now=MORNING) == 1
    assert "Jordan changed their plan." in mail.outbox[0].body


def test_nothing_new_no_email(member, their_counselor, plan):
    answer(plan, MORNING - timedelta(days=3))  # told before, or before the last day
    assert digests.counselor_digests_send(now=MORNING) == 0
    assert mail.outbox == [] and not CounselorDigest.objects.exists()


def test_no_news_from_a_client_whose_access_ended(member, their_counselor, plan):
    answer(plan, MORNING - timedelta(hours=3))
    Grant.objects.filter(member=member).update(revoked_at=timezone.now())
    assert digests.counselor_digests_send(now=MORNING) == 0


def test_the_beat_sweeps_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-counselor-digests"]
    assert entry == {"task": "sharing.tasks.send_counselor_digests", "schedule": 3600}
