"""“Show my counselor the days I miss a check-in”: while it is off, nothing the
counselor sees tells which days the member checked in or missed, by any path (the
client list, the client page and its charts' tables, their own export, the list's
reasons for attention). They see the average of each finished week instead."""

import json
import re
from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import CheckIn, CheckInSchedule
from sharing.models import Grant
from tests.conftest import give_password_again


def as_shown(day: date) -> list[str]:
    """Every way the pages write a day: a table row, a chart's words, a short date."""
    return [f"{day:%a} {day.day} {day:%b}", f"{day.day} {day:%B}", f"{day.day} {day:%b}"]


def shows(html: str, day: date) -> bool:
    return any(re.search(rf"(?<!\d){re.escape(text)}\b", html) for text in as_shown(day))


@pytest.fixture
def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


@pytest.fixture
def checked_in(member, this_monday) -> list[date]:
    """Check-ins on some days of the last three finished weeks, never a Monday (a
    week's first day names it); cravings 6 and 8 last week, 2 the week before."""
    CheckInSchedule.objects.create(owner=member, local_time=time(9))
    CheckInSchedule.objects.update(created_at=timezone.now() - timedelta(days=40))
    days = {
        this_monday - timedelta(days=1): 6,  # last Sunday
        this_monday - timedelta(days=4): 8,  # last Thursday
        this_monday - timedelta(days=10): 2,  # the Friday before
    }
    for day, craving in days.items():
        CheckIn.objects.create(owner=member, day=day, mood=4, craving=craving)
    return list(days)


@pytest.fixture
def counselor_client(their_counselor):
    client = Client()
    client.force_login(their_counselor)
    client.get(reverse("need_help"))  # a CSRF cookie: the list comes from the cache
    return client


def show_days(their_counselor, on: bool) -> None:
    Grant.objects.filter(grantee=their_counselor).update(show_missed=on)


def test_the_client_page_shows_finished_weeks_not_days(
    counselor_client, member, their_counselor, checked_in, this_monday
):
    url = reverse("sharing:client", args=[member.pk])
    html = counselor_client.get(url).content.decode()

    for day in checked_in:
        assert not shows(html, day), day
    # Charts are drawn of finished weeks only (the client page since 064ed75).
    assert "The average of each finished week" in html
    for word in ("Streak", "as a table", "planned day"):
        assert word not in html, word
    assert not re.search(r"\b\d+ check-ins?\.", html), "no count of check-ins"
    # The table row, after the charts' descriptions that name the first and last week.
    last_week = html.rsplit(f"week of {this_monday - timedelta(days=7):%-d %B}", 1)[1]
    assert last_week.split("</tr>")[0].count("about good") == 1
    assert "about 7 of 10" in last_week.split("</tr>")[0]
    week_before = html.split(f"week of {this_monday - timedelta(days=14):%-d %B}")[1]
    assert "about 2 of 10" in week_before.split("</tr>")[0]

    show_days(their_counselor, True)  # the same page, with the days shared, shows them
    html = counselor_client.get(url).content.decode()
    assert all(shows(html, day) for day in checked_in)


def test_a_check_in_today_changes_nothing_the_counselor_sees(counselor_client, member, checked_in):
    """Figures that move the day a check-in comes (a rolling week, a count, a last
    date) would tell a counselor who looks each day which days had none."""
    page = reverse("sharing:client", args=[member.pk])

    def seen() -> tuple[str, str]:
        listed = counselor_client.get(reverse("sharing:clients")).content.decode()
        shown = counselor_client.get(page).content.decode()
        return (
            listed.split('<article class="card client')[1].split("</article>")[0],
            shown.split('id="history-heading"')[1].split("</section>")[0],
        )

    before = seen()
    CheckIn.objects.create(owner=member, day=timezone.localdate(), mood=1, craving=10)
    assert seen() == before


def test_the_client_list_shows_no_check_in_dates_or_missed_days(
    counselor_client, member, their_counselor, checked_in
):
    response = counselor_client.get(reverse("sharing:clients"))
    html = response.content.decode()
    row = response.context["rows"][0]

    assert row.missed == [] and row.last_checkin is None
    assert not any(shows(html, day) for day in checked_in)
    assert "about 7 of 10 last week" in html
    assert "cravings rising" in row.reasons, "7 last week, up from 2"
    assert not any("missed" in reason or "over a week" in reason for reason in row.reasons)

    show_days(their_counselor, True)
    html = counselor_client.get(reverse("sharing:clients")).content.decode()
    assert shows(html, max(checked_in)), "the last check-in, with the days shared"


def test_the_counselors_export_holds_nothing_of_the_members_days(
    their_counselor, member, checked_in
):
    client = Client()
    client.force_login(their_counselor)
    give_password_again(client)
    body = client.get(reverse("sharing:export-json")).content.decode()
    data = json.loads(body)["data"]
    assert data["plans.CheckIn"] == [] and data["sharing.CounselorAlert"] == []
    assert not any(day.isoformat() in body for day in checked_in)


def test_the_sharing_page_says_what_each_choice_shows(signed_in, their_counselor):
    html = signed_in.get(reverse("sharing:sharing")).content.decode()
    assert "average mood and cravings of each finished week" in html
    assert "not which days you checked in or missed" in html
    assert "even while missed days are hidden" in html
