"""The check-in history: the pure computations in plans/charts.py, then the page."""

import html
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import ContactLog
from plans import charts, days
from plans.checkin_forms import MOOD_WORDS, craving_words
from plans.models import CheckIn, CheckInSchedule
from recovery_support.models import User
from tests.factories import SupportSourceFactory

TODAY = date(2025, 3, 12)  # a Wednesday
db = pytest.mark.django_db


def days_before(today: date, *offsets: int) -> set[date]:
    return {today - timedelta(days=n) for n in offsets}


def current_streak(checked: set[date], today: date) -> int:
    """plans.days.streak for check-ins made at noon in one zone, read at noon today
    (the days after today left out, as the history does)."""
    noon = time(12, tzinfo=UTC)
    made = [days.Made(d, "UTC", datetime.combine(d, noon)) for d in sorted(checked) if d <= today]
    return days.streak(made, today=today, now=datetime.combine(today, noon))


# --- Streak -----------------------------------------------------------------------


def test_no_checkins_is_no_streak():
    assert current_streak(set(), TODAY) == 0


def test_the_streak_counts_back_from_today():
    assert current_streak(days_before(TODAY, 0, 1, 2, 4, 5), TODAY) == 3


def test_the_streak_still_stands_before_todays_checkin():
    assert current_streak(days_before(TODAY, 1, 2, 3), TODAY) == 3


def test_a_day_without_a_checkin_before_yesterday_starts_afresh():
    assert current_streak(days_before(TODAY, 2, 3, 4), TODAY) == 0
    assert current_streak(days_before(TODAY, 0, 2, 3), TODAY) == 1


def test_future_days_do_not_count():
    assert current_streak(days_before(TODAY, -1, 1), TODAY) == 1


# --- Milestones ---------------------------------------------------------------------


def test_milestones_run_from_a_day_to_every_year():
    start = date(2024, 1, 10)
    first = [m for _, m in zip(range(9), charts.milestones(start), strict=False)]
    assert [(m.label, m.on) for m in first] == [
        ("1 day", date(2024, 1, 11)),
        ("1 week", date(2024, 1, 17)),
        ("30 days", date(2024, 2, 9)),
        ("60 days", date(2024, 3, 10)),
        ("90 days", date(2024, 4, 9)),
        ("6 months", date(2024, 7, 10)),
        ("1 year", date(2025, 1, 10)),
        ("2 years", date(2026, 1, 10)),
        ("3 years", date(2027, 1, 10)),
    ]


def test_months_keep_to_the_end_of_shorter_months():
    assert [m.on for _, m in zip(range(7), charts.milestones(date(2023, 8, 31)), strict=False)][
        5
    ] == date(2024, 2, 29)
    leap = [m for _, m in zip(range(8), charts.milestones(date(2024, 2, 29)), strict=False)]
    assert (leap[6].label, leap[6].on) == ("1 year", date(2025, 2, 28))


def test_recovery_counts_days_and_names_the_next_milestone():
    recovery = charts.recovery(date(2025, 2, 1), TODAY)
    assert recovery.days == 39
    assert recovery.reached_today is None
    assert (recovery.next.label, recovery.next.on, recovery.days_to_next) == (
        "60 days",
        date(2025, 4, 2),
        21,
    )


def test_a_milestone_reached_today_is_celebrated_and_the_next_one_named():
    recovery = charts.recovery(TODAY - timedelta(days=30), TODAY)
    assert recovery.reached_today.label == "30 days"
    assert recovery.next.label == "60 days"


def test_the_first_day_and_years_later():
    assert charts.recovery(TODAY, TODAY).days == 0
    assert charts.recovery(TODAY, TODAY).next.label == "1 day"
    assert charts.recovery(TODAY - timedelta(days=1), TODAY).next.label == "1 week"
    later = charts.recovery(date(2021, 6, 1), TODAY)
    assert (later.next.label, later.next.on) == ("4 years", date(2025, 6, 1))


def test_a_start_date_still_to_come_counts_to_its_first_day():
    # Only after a change of zone: a start date is never later than the member's today.
    recovery = charts.recovery(TODAY + timedelta(days=1), TODAY)
    assert recovery.days == 0
    assert (recovery.next.label, recovery.days_to_next) == ("1 day", 2)


def test_a_start_date_at_the_end_of_the_calendar_is_no_error():
    recovery = charts.recovery(date(9999, 12, 31), TODAY)
    assert recovery.next is None and recovery.days_to_next is None
    assert [m.label for m in charts.milestones(date(9999, 1, 1))] == [
        "1 day",
        "1 week",
        "30 days",
        "60 days",
        "90 days",
        "6 months",
    ]


@db
def test_an_unusual_start_date_still_shows_the_page(signed_in, member):
    User.objects.filter(pk=member.pk).update(recovery_started_on=date(9999, 12, 31))
    response = signed_in.get(url())
    assert response.status_code == 200
    assert "Your recovery start date is 31 December 9999." in text(response)


# --- Missed days --------------------------------------------------------------------


def test_nothing_is_missed_before_the_member_began():
    assert (
        charts.missed_days(set(), window_start=TODAY - timedelta(29), today=TODAY, began_on=None)
        == []
    )


def test_missed_days_count_from_the_later_of_window_start_and_beginning():
    window_start = TODAY - timedelta(days=29)
    began = TODAY - timedelta(days=5)
    checked = days_before(TODAY, 5, 3, 1)
    missed = charts.missed_days(checked, window_start=window_start, today=TODAY, began_on=began)
    assert missed == sorted(days_before(TODAY, 4, 2))  # today is not over, so not missed


def test_a_long_time_member_is_counted_from_the_window_start():
    window_start = TODAY - timedelta(days=29)
    checked = {TODAY - timedelta(days=n) for n in range(0, 30) if n not in (7, 29)}
    missed = charts.missed_days(
        checked, window_start=window_start, today=TODAY, began_on=date(2020, 1, 1)
    )
    assert missed == sorted(days_before(TODAY, 7, 29))


def test_only_planned_weekdays_can_be_missed():
    window_start = TODAY - timedelta(days=6)  # Thursday 6 March
    missed = charts.missed_days(
        set(), window_start=window_start, today=TODAY, began_on=window_start, weekdays=[0, 2]
    )
    assert missed == [date(2025, 3, 10)]  # Monday; Wednesday is today


# --- Line charts --------------------------------------------------------------------


def chart(values, start=TODAY - timedelta(days=29), end=TODAY):
    return charts.line_chart(
        values, start=start, end=end, low=1, high=5, ticks=MOOD_WORDS, word=MOOD_WORDS.get
    )


def test_a_chart_with_no_points_still_has_its_scale():
    empty = chart([])
    assert empty.points == [] and empty.path == ""
    assert [t.label for t in empty.y_ticks] == ["Very low", "Low", "Okay", "Good", "Very good"]
    assert [t.label for t in empty.x_ticks] == ["11 Feb", "25 Feb", "12 Mar"]
    assert empty.lowest is None and empty.latest is None


def test_one_point_is_a_dot_without_a_line():
    one = chart([(TODAY, 5)])
    assert one.path == ""
    [point] = one.points
    assert (point.x, point.y) == (one.right, one.top)  # today, at the top of the scale
    assert point.label == "Very good"


def test_ninety_points_make_one_line_across_the_window():
    start = TODAY - timedelta(days=89)
    values = [(start + timedelta(days=n), 1 + n % 5) for n in range(90)]
    full = chart(values, start=start)
    assert len(full.points) == 90
    assert full.path.startswith(f"M{full.left},{full.bottom} L")  # day 1, "Very low"
    assert full.path.count("L") == 89
    assert full.points[-1].x == full.right
    assert {p.y for p in full.points} == {t.y for t in full.y_ticks}
    assert (full.lowest.label, full.highest.label, full.latest.label) == (
        "Very low",
        "Very good",
        "Very good",
    )


def test_points_outside_the_window_or_scale_are_left_out_and_order_is_by_day():
    values = [
        (TODAY, 3),
        (TODAY - timedelta(days=40), 2),
        (TODAY - timedelta(days=1), 9),
        (TODAY - timedelta(days=2), 4),
    ]
    drawn = chart(values)
    assert [(p.day, p.value) for p in drawn.points] == [(TODAY - timedelta(days=2), 4), (TODAY, 3)]


def test_craving_runs_from_none_at_the_bottom_to_overwhelming_at_the_top():
    drawn = charts.line_chart(
        [(TODAY - timedelta(days=1), 0), (TODAY, 10)],
        start=TODAY - timedelta(days=29),
        end=TODAY,
        low=0,
        high=10,
        ticks={0: "None", 10: "Overwhelming"},
        word=craving_words,
    )
    low, high = drawn.points
    assert (low.y, high.y) == (drawn.bottom, drawn.top)
    assert (low.label, high.label) == ("none", "overwhelming")
    assert craving_words(7) == "7 out of 10"


# --- Contacts per week -----------------------------------------------------------------


def test_contact_weeks_are_the_last_eight_iso_weeks_oldest_first():
    this_monday = date(2025, 3, 10)
    weeks = charts.contact_weeks({this_monday: 2, this_monday - timedelta(weeks=3): 4}, TODAY)
    assert [w.monday for w in weeks] == [this_monday - timedelta(weeks=n) for n in range(7, -1, -1)]
    assert [w.count for w in weeks] == [0, 0, 0, 0, 4, 0, 0, 2]
    assert [w.bar for w in weeks][-4:] == [100, 0, 0, 50]
    assert weeks[-1].number == 11


def test_weeks_without_contacts_have_no_bar():
    assert {w.bar for w in charts.contact_weeks({}, TODAY)} == {0}


# --- The page ---------------------------------------------------------------------------


def url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("plans:history") + (f"?{query}" if query else "")


def local_today(user) -> date:
    return timezone.localdate(timezone=ZoneInfo(user.time_zone))


def text(response) -> str:
    return html.unescape(response.content.decode())


def add_checkins(member, offsets, today=None):
    today = today or local_today(member)
    CheckIn.objects.bulk_create(
        CheckIn(owner=member, day=today - timedelta(days=n), mood=1 + n % 5, craving=n % 11)
        for n in offsets
    )


@db
def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@db
def test_a_first_visit_is_encouraging(signed_in):
    response = signed_in.get(url())
    assert response.status_code == 200
    body = text(response)
    assert "Every check-in counts. Check in today to start a new streak." in body
    assert "No check-ins in these days yet." in body
    assert "Add your start date" in body
    assert "None in these 30 days." in body
    assert body.count('role="img"') == 2


@db
def test_it_shows_the_streak_and_asks_gently_for_today(signed_in, member):
    add_checkins(member, [1, 2, 3, 5])
    body = text(signed_in.get(url()))
    assert re.search(r'<p class="big-number">3 <span>days in a row</span>', body)
    assert "Check in today to keep it going." in body
    add_checkins(member, [0])
    body = text(signed_in.get(url()))
    assert '<p class="big-number">4 <span>days in a row</span>' in body
    assert "Change today\u2019s check-in" in body


@db
def test_it_counts_recovery_days_to_the_next_milestone(signed_in, member):
    today = local_today(member)
    User.objects.filter(pk=member.pk).update(recovery_started_on=today - timedelta(days=30))
    body = text(signed_in.get(url()))
    assert '<p class="big-number">30 <span>days since' in body
    assert "Today marks 30 days. That is worth celebrating." in body
    assert "Next milestone: <strong>60 days</strong>" in body
    assert "30 days to go." in body


@db
@pytest.mark.parametrize(
    ("query", "window"),
    [
        ({}, 30),
        ({"days": "90"}, 90),
        ({"days": "30"}, 30),
        ({"days": "7"}, 30),
        ({"days": "abc"}, 30),
        ({"days": "90x"}, 30),
    ],
)
def test_the_window_is_30_or_90_days(signed_in, member, query, window):
    add_checkins(member, [0, 45])
    response = signed_in.get(url(**query))
    assert response.status_code == 200
    assert response.context["window"] == window
    assert len(response.context["mood_chart"].points) == (2 if window == 90 else 1)
    body = text(response)
    assert f'href="/plan/checkin/history/?days={window}" aria-current="true"' in body


@db
def test_charts_are_accessible_svg_without_inline_styles(signed_in, member):
    add_checkins(member, range(0, 10))
    body = text(signed_in.get(url()))
    assert 'role="img" aria-labelledby="mood-title mood-desc"' in body
    assert 'role="img" aria-labelledby="craving-title craving-desc"' in body
    assert '<desc id="mood-desc">10 check-ins. Lowest: Very low' in body
    assert "Latest: Very low on" in body  # today: n=0, mood 1
    assert "<summary>Mood as a table</summary>" in body
    assert "<summary>Cravings as a table</summary>" in body
    assert "<td>9 out of 10</td>" in body
    assert "style=" not in body
    assert body.count('<path class="chart__line"') == 2


@db
def test_contacts_are_counted_per_week_for_the_member_only(signed_in, member, other_member):
    today = local_today(member)
    monday = today - timedelta(days=today.weekday())
    maria = SupportSourceFactory(owner=member, name="Maria")
    ray = SupportSourceFactory(owner=member, name="Ray")
    stranger = SupportSourceFactory(owner=other_member)
    for source, day in [
        (maria, monday),
        (ray, monday),
        (maria, monday - timedelta(days=1)),  # the Sunday before: last week
        (maria, monday - timedelta(weeks=8)),  # too long ago
        (stranger, monday),
    ]:
        ContactLog.objects.create(source=source, contacted_on=day)
    weeks = signed_in.get(url()).context["contact_weeks"]
    assert len(weeks) == 8
    assert [w.count for w in weeks][-2:] == [1, 2]
    assert sum(w.count for w in weeks) == 3


@db
def test_missed_days_are_shown_kindly(signed_in, member):
    add_checkins(member, [0, 1, 4])  # began four days ago; missed two and three days ago
    body = text(signed_in.get(url()))
    assert "2 days without a check-in in these 30 days. That is okay" in body
    assert len(signed_in.get(url()).context["missed"]) == 2


@db
def test_a_schedule_set_up_earlier_is_when_the_member_began(signed_in, member):
    today = local_today(member)
    schedule = CheckInSchedule.objects.create(owner=member)
    began = datetime.combine(today - timedelta(days=6), datetime.min.time(), ZoneInfo("UTC"))
    CheckInSchedule.objects.filter(pk=schedule.pk).update(created_at=began + timedelta(hours=12))
    add_checkins(member, [0, 1])
    missed = signed_in.get(url()).context["missed"]
    assert missed == sorted(days_before(today, 2, 3, 4, 5, 6))


@db
def test_it_shows_only_the_members_own_checkins(signed_in, member, other_member):
    add_checkins(other_member, range(0, 20), today=local_today(member))
    response = signed_in.get(url())
    assert response.context["mood_chart"].points == []
    assert response.context["streak"] == 0


@db
@pytest.mark.parametrize("days", ["30", "90"])
@pytest.mark.parametrize("size", [5, 90])
def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, member, size, days, django_assert_num_queries
):
    add_checkins(member, range(size))
    CheckInSchedule.objects.create(owner=member)
    User.objects.filter(pk=member.pk).update(
        recovery_started_on=local_today(member) - timedelta(days=100)
    )
    sources = SupportSourceFactory.create_batch(3, owner=member)
    for n in range(size):
        ContactLog.objects.create(
            source=sources[n % 3], contacted_on=local_today(member) - timedelta(days=n)
        )
    # session, user, every check-in's day and answers, the schedule, contacts per week
    with django_assert_num_queries(5):
        response = signed_in.get(url(days=days))
    assert response.status_code == 200
    assert response.context["streak"] == size
    assert len(response.context["mood_chart"].points) == min(size, int(days))
