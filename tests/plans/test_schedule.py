from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from plans.models import CheckInSchedule

pytestmark = pytest.mark.django_db


def test_opening_the_page_shows_the_defaults_and_saves_nothing(signed_in, member):
    response = signed_in.get(reverse("plans:schedule"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="09:00"' in body and "Next reminder" not in body
    # Only saving starts reminders (and the days a check-in counts as missed).
    assert not CheckInSchedule.objects.filter(owner=member).exists()


def test_a_member_sets_daily_reminders_at_their_local_time(signed_in, member):
    response = signed_in.post(
        reverse("plans:schedule"),
        {
            "local_time": "08:30",
            "weekdays": [],
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get(owner=member)
    member.refresh_from_db()
    assert member.time_zone == "Europe/Berlin"
    assert schedule.local_time == time(8, 30) and not schedule.paused
    assert schedule.next_due_at > datetime.now(UTC)
    assert schedule.next_due_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "08:30"


def test_pausing_stops_reminders_and_resuming_starts_them_again(signed_in, member):
    data = {"local_time": "09:00", "time_zone": "America/New_York", "paused": "on"}
    signed_in.post(reverse("plans:schedule"), data)
    assert CheckInSchedule.objects.get(owner=member).next_due_at is None
    del data["paused"]
    signed_in.post(reverse("plans:schedule"), data)
    assert CheckInSchedule.objects.get(owner=member).next_due_at is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("local_time", "25:99"),
        ("weekdays", ["9"]),
        ("time_zone", "Mars/Olympus"),
    ],
)
def test_bad_input_keeps_what_was_saved(signed_in, member, field, value):
    signed_in.post(
        reverse("plans:schedule"), {"local_time": "09:00", "time_zone": "America/New_York"}
    )
    before = CheckInSchedule.objects.get(owner=member).next_due_at
    data = {"local_time": "07:15", "time_zone": "America/New_York", field: value}
    response = signed_in.post(reverse("plans:schedule"), data)
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    schedule = CheckInSchedule.objects.get(owner=member)
    assert schedule.local_time == time(9, 0) and schedule.next_due_at == before
