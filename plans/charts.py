"""The numbers and pictures of a member's check-in history: streak, milestones, missed
days, line charts and contacts per week.

Pure functions of dates and values, so each can be tested on its own; the view
fetches the rows and the template only draws what is computed here. Charts are
plain SVG geometry (points, a path, ticks): no inline styles, as the CSP forbids
them, so colours and line widths come from CSS classes.
"""

import calendar
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext, ngettext

from recovery_support.dates import local_date

# --- Streak, milestones, missed days ---------------------------------------------


@dataclass(frozen=True)
class Milestone:
    label: str
    on: date


def _add_months(day: date, months: int) -> date:
    """The same day of the month, `months` later; the 31st becomes the last day of a
    shorter month, and 29 February the 28th in other years."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def milestones(started_on: date) -> Iterator[Milestone]:
    """1 day, 1 week, 30, 60 and 90 days, 6 months, 1 year, then every year, until the
    calendar runs out (year 9999)."""
    try:
        for days in (1, 7, 30, 60, 90):
            label = (
                gettext("1 week")
                if days == 7
                else ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
            )
            yield Milestone(label, started_on + timedelta(days=days))
        months = ngettext("%(count)d month", "%(count)d months", 6) % {"count": 6}
        yield Milestone(months, _add_months(started_on, 6))
        for years in range(1, 10_000):
            label = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
            yield Milestone(label, _add_months(started_on, 12 * years))
    except (OverflowError, ValueError):
        return


@dataclass(frozen=True)
class Recovery:
    started_on: date
    today: date
    reached_today: Milestone | None
    next: Milestone | None  # None only for a start date at the end of the calendar

    @property
    def days(self) -> int:
        """Days since the start date: 0 on the day itself (and before it)."""
        return max(0, (self.today - self.started_on).days)

    @property
    def days_to_next(self) -> int | None:
        return (self.next.on - self.today).days if self.next else None


def recovery(started_on: date, today: date) -> Recovery:
    reached = None
    for milestone in milestones(started_on):
        if milestone.on == today:
            reached = milestone
        elif milestone.on > today:
            return Recovery(started_on, today, reached_today=reached, next=milestone)
    return Recovery(started_on, today, reached_today=reached, next=None)


def missed_days(
    days: Collection[date],
    *,
    window_start: date,
    today: date,
    began_on: date | None,
    weekdays: Collection[int] = (),
) -> list[date]:
    """Days in the window without a check-in, counted from the later of the window
    start and the day the member began (first check-in or schedule). Today is not
    over, so it is never missed. When the schedule names weekdays (0 = Monday), only
    those days were planned, so only they can be missed."""
    if began_on is None:
        return []
    day = max(window_start, began_on)
    missed = []
    while day < today:
        if day not in days and (not weekdays or day.weekday() in weekdays):
            missed.append(day)
        day += timedelta(days=1)
    return missed


# --- Line charts -------------------------------------------------------------------

# Drawn about life-size on a phone (the SVG scales to its box), so text stays readable.
WIDTH = 360
HEIGHT = 200
LEFT = 76  # room for the value labels ("Very good")
RIGHT = 12
TOP = 14
BOTTOM = 30  # room for the dates


@dataclass(frozen=True)
class Point:
    day: date
    value: int
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float
    anchor: str = "end"


@dataclass(frozen=True)
class LineChart:
    start: date
    end: date
    points: list[Point]
    path: str  # "" when there are fewer than two points: the dots stand alone
    y_ticks: list[Tick]  # a grid line and a label for each
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def lowest(self) -> Point | None:
        return min(self.points, key=lambda p: p.value, default=None)

    @property
    def highest(self) -> Point | None:
        return max(self.points, key=lambda p: p.value, default=None)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def _short(day: date) -> str:
    return local_date(day, "SHORT_DAY")


def line_chart(
    values: Sequence[tuple[date, int]],
    *,
    start: date,
    end: date,
    low: int,
    high: int,
    ticks: Mapping[int, str],
    word: Callable[[int], str],
) -> LineChart:
    """A line through one value a day from `start` to `end` (both shown), on a scale
    from `low` (bottom) to `high` (top). Days without a value are simply joined
    across; each real value also gets a dot."""
    span = max(1, (end - start).days)
    plot_width = WIDTH - RIGHT - LEFT
    plot_height = HEIGHT - BOTTOM - TOP

    def x(day: date) -> float:
        return round(LEFT + (day - start).days / span * plot_width, 1)

    def y(value: int) -> float:
        return round(HEIGHT - BOTTOM - (value - low) / (high - low) * plot_height, 1)

    points = [
        Point(day, value, word(value), x(day), y(value))
        for day, value in sorted(values)
        if start <= day <= end and low <= value <= high
    ]
    path = ""
    if len(points) > 1:
        path = "M" + " L".join(f"{p.x:g},{p.y:g}" for p in points)
    baseline = HEIGHT - BOTTOM + 18
    x_ticks = [
        Tick(_short(start), LEFT, baseline, "start"),
        Tick(_short(start + (end - start) / 2), x(start + (end - start) / 2), baseline, "middle"),
        Tick(_short(end), WIDTH - RIGHT, baseline, "end"),
    ]
    return LineChart(
        start=start,
        end=end,
        points=points,
        path=path,
        y_ticks=[Tick(label, LEFT - 8, y(value)) for value, label in sorted(ticks.items())],
        x_ticks=x_ticks,
    )


# --- Contacts per week -------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    monday: date
    count: int
    bar: float  # 0..100: the share of the busiest week, for a bar

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


def contact_weeks(counts: Mapping[date, int], today: date, weeks: int = 8) -> list[Week]:
    """The last `weeks` ISO weeks (Monday to Sunday), oldest first, this week last;
    `counts` maps the Monday of a week to the contacts logged in it."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    busiest = max((counts.get(monday, 0) for monday in mondays), default=0)
    return [
        Week(
            monday=monday,
            count=counts.get(monday, 0),
            bar=round(100 * counts.get(monday, 0) / busiest, 1) if busiest else 0,
        )
        for monday in mondays
    ]
