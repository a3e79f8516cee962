"""Named nudges: with names inside the app, discreet outside it, each once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from networks.models import ContactLog, SupportSource
from plans import nudges
from plans.models import Activity, Outcome, Plan, PlanSource
from recovery_support.push import notices
from recovery_support.push.models import DeliveryChoices, Notice
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK).astimezone(UTC)  # a Tuesday


@pytest.fixture
def jordan(member):
    member.time_zone = "America/New_York"
    member.save()
    Plan.objects.create(owner=member, status=Plan.Status.ACTIVE)
    return member


def sister(owner, *, days_ago: int) -> SupportSource:
    source = SupportSourceFactory(
        owner=owner, name="Maria", relationship="Sister", contact_every_days=7
    )
    SupportSource.objects.filter(pk=source.pk).update(
        created_at=AFTERNOON - timedelta(days=days_ago)
    )
    return source


def texts(member, now=AFTERNOON) -> list[str]:
    return [nudge.text for nudge in nudges.nudges_for(member, now=now)]


def test_it_says_how_long_since_they_talked_with_someone_by_name(jordan):
    sister(jordan, days_ago=9)
    assert texts(jordan) == [
        "It has been 9 days since you talked with your sister, Maria. A short message is enough."
    ]


def test_no_nudge_within_the_planned_cadence_or_after_a_contact(jordan):
    maria = sister(jordan, days_ago=9)
    ContactLog.objects.create(source=maria, contacted_on=AFTERNOON.astimezone(NEW_YORK).date())
    assert texts(jordan) == []
    sister(jordan, days_ago=6)
    assert texts(jordan) == []


def test_a_follow_up_date_that_has_come(jordan):
    plan = Plan.objects.get(owner=jordan)
    ray = SupportSourceFactory(owner=jordan, name="Ray")
    today = AFTERNOON.astimezone(NEW_YORK).date()
    PlanSource.objects.create(plan=plan, source=ray, outcome=Outcome.FOLLOW_UP, follow_up_on=today)
    assert texts(jordan) == ["Today is the day you planned to follow up with your friend, Ray."]
    assert texts(jordan, now=AFTERNOON - timedelta(days=1)) == []


def test_a_meeting_within_the_chosen_lead_time(jordan):
    starts = (AFTERNOON + timedelta(minutes=45)).astimezone(NEW_YORK)
    Activity.objects.create(
        plan=Plan.objects.get(owner=jordan),
        title="SMART Recovery",
        weekday=starts.weekday(),
        time=starts.time(),
    )
    assert texts(jordan) == ["SMART Recovery starts in 45 minutes, at 3:45 PM. You planned it."]
    DeliveryChoices.objects.create(owner=jordan, meeting_lead_minutes=30)
    assert texts(jordan) == []
    # By push or email: 30 minutes before, found by a sweep up to LOOK_AHEAD earlier.
    notice_time = AFTERNOON + timedelta(minutes=15)
    assert nudges.dispatch_nudges(now=notice_time - nudges.LOOK_AHEAD - timedelta(minutes=1)) == 0
    assert nudges.dispatch_nudges(now=AFTERNOON) == 1
    notice = Notice.objects.get()
    assert (notice.kind, notice.due_at) == ("meeting", notice_time)
    assert notice.expires_at == AFTERNOON + timedelta(minutes=45)
    assert notices.dispatch_due_notices(now=AFTERNOON) == 0  # not before its time
    assert notices.dispatch_due_notices(now=notice_time) == 1


def test_each_nudge_is_recorded_once_however_often_the_sweep_runs(jordan):
    sister(jordan, days_ago=9)
    assert nudges.dispatch_nudges(now=AFTERNOON) == 1
    assert nudges.dispatch_nudges(now=AFTERNOON + timedelta(minutes=5)) == 0
    assert nudges.dispatch_nudges(now=AFTERNOON + timedelta(days=1)) == 0  # same silence
    notice = Notice.objects.get()
    assert notice.kind == "contact_nudge" and "Maria" not in notice.key


def test_a_nudge_found_early_in_the_day_is_due_mid_morning(jordan):
    sister(jordan, days_ago=9)
    early = datetime(2026, 11, 24, 6, 0, tzinfo=NEW_YORK).astimezone(UTC)
    nudges.dispatch_nudges(now=early)
    assert Notice.objects.get().due_at == datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK)


def test_the_dashboard_shows_the_nudges_by_name(client, jordan):
    sister(jordan, days_ago=30)
    client.force_login(jordan)
    page = client.get(reverse("dashboard")).content.decode()
    assert "since you talked with your sister, Maria" in page
