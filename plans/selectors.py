"""Reads of a member's plan, always scoped to the member asking."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.gaps import days_since_contact
from networks.models import COMMUNITY_CATEGORIES, ContactLog, Influence, SupportSource, SupportType
from plans import charts, days
from plans.checkin_forms import MOOD_WORDS, craving_words
from plans.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Goal,
    HelpCall,
    Outcome,
    Plan,
    PlanSource,
    RelapseItem,
    Revision,
)
from plans.nudges import day_nudges
from recovery_support.sql_once import STAND_IN_ID, SqlOnce

# One source holding more than this share of what the plan asks for "carries" it.
CARRYING_SHARE = 0.5


# The plan's reads that every plan page and the dashboard make, their SQL built once
# (recovery_support/sql_once.py).
def _the_plan(owner_id: int):
    """The member's plan: their first, should a second ever be started."""
    return Plan.objects.filter(owner_id=owner_id).order_by("pk")


_PLAN = SqlOnce(lambda owner_id: _the_plan(owner_id)[:1], owner_id=STAND_IN_ID)
_PLAN_SOURCES = SqlOnce(
    lambda plan_id: PlanSource.objects.filter(
        plan_id=plan_id, source__deleted_at__isnull=True
    ).order_by("source__name", "pk"),
    plan_id=STAND_IN_ID,
)
_PLAN_SOURCES_WITH_SOURCE = SqlOnce(
    lambda plan_id: _PLAN_SOURCES.build(plan_id).select_related("source"),
    plan_id=STAND_IN_ID,
)
_ACTIVITIES = SqlOnce(lambda plan_id: Activity.objects.filter(plan_id=plan_id), plan_id=STAND_IN_ID)
_RELAPSE_ITEMS = SqlOnce(
    lambda plan_id: RelapseItem.objects.filter(plan_id=plan_id).select_related("contact"),
    plan_id=STAND_IN_ID,
)
_GOALS = SqlOnce(lambda plan_id: Goal.objects.filter(plan_id=plan_id), plan_id=STAND_IN_ID)


# sharing's comments on one step of the plan, with their replies, reached through the
# plan (plans does not import sharing).
_STEP_COMMENTS = SqlOnce(
    lambda plan_id, step: Plan.comments.rel.related_model.objects.threaded(
        plan_id=plan_id, step=step
    ),
    plan_id=STAND_IN_ID,
    step=32_000,  # within the field's range, which Django checks
)


def step_comments(plan: Plan, step: int) -> list:
    """The comments on this step of the plan, with their replies (sharing's templates
    show them)."""
    return _plan_rows(_STEP_COMMENTS, plan, step=step)


def _plan_rows(query: SqlOnce, plan: Plan, **values) -> list:
    """The plan's rows, each with the plan, as `plan.<rows>.all()` gives them."""
    rows = query.rows(plan_id=plan.pk, **values)
    for row in rows:
        row.plan = plan
    return rows


def activities_of(plan: Plan) -> list[Activity]:
    return _plan_rows(_ACTIVITIES, plan)


def relapse_items_of(plan: Plan) -> list[RelapseItem]:
    """Each with its contact, if any."""
    return _plan_rows(_RELAPSE_ITEMS, plan)


def goals_of(plan: Plan) -> list[Goal]:
    return _plan_rows(_GOALS, plan)


def plan_sources(plan: Plan, *, current: list[SupportSource] | None = None) -> list[PlanSource]:
    """The plan's people and groups still in the network, each with its `source`.
    `current`: the member's current sources, read already (network_for), which are
    then put on the rows instead of being read again with them."""
    if current is None:
        return _plan_rows(_PLAN_SOURCES_WITH_SOURCE, plan)
    by_id = {source.pk: source for source in current}
    found = []
    for row in _plan_rows(_PLAN_SOURCES, plan):
        # Not among them: removed or put back between the two reads. Left out, as a
        # source removed a moment earlier would have been.
        if row.source_id in by_id:
            row.source = by_id[row.source_id]
            found.append(row)
    return found


def agreed(sources: list[PlanSource]) -> list[PlanSource]:
    """The sources who said yes: they carry on to steps 3 and 4."""
    return [s for s in sources if s.outcome == Outcome.AGREED]


def plan_changes(plan: Plan, *, role: str | None = None) -> QuerySet[Revision]:
    """The plan's revisions, newest first, that a reader in `role` may read: all of
    them for the member (None); for anyone they share with, none naming what the
    member keeps from them (Revision.visible_to)."""
    return plan.revisions.select_related("author").visible_to(role)


def plan_source_for(user, pk: int) -> PlanSource:
    return get_object_or_404(
        PlanSource.objects.select_related("plan", "source"), pk=pk, plan__owner=user
    )


def item_for(user, model: type[Model], pk: int) -> Model:
    """An activity, relapse item or goal of the member's own plan, or 404."""
    rows = model.objects.select_related("plan")
    if model is RelapseItem:  # whether it names a private source decides who sees its changes
        rows = rows.select_related("contact")
    return get_object_or_404(rows, pk=pk, plan__owner=user)


STEP_TITLES = {
    1: _("Who could support you"),
    2: _("Reach out"),
    3: _("What is realistic"),
    4: _("Your plan"),
}


@dataclass
class Steps:
    """Which of the four steps are done, what exactly each is missing, and whom the
    plan has for a crisis."""

    done: dict[int, bool]
    missing: dict[int, list[str]] = field(default_factory=dict)
    crisis_contacts: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[tuple[int, str, bool]]:
        return [(n, title, self.done[n]) for n, title in STEP_TITLES.items()]

    @property
    def overview(self) -> list[tuple[int, str, bool, list[str]]]:
        return [
            (n, title, self.done[n], self.missing.get(n, [])) for n, title in STEP_TITLES.items()
        ]

    @property
    def next_step(self) -> int | None:
        return next((n for n in (1, 2, 3, 4) if not self.done[n]), None)

    @property
    def next_missing(self) -> list[str]:
        return self.missing.get(self.next_step, []) if self.next_step else []

    @property
    def all_done(self) -> bool:
        return all(self.done.values())

    @property
    def can_activate(self) -> bool:
        """Activating with steps to finish is the member's choice; without anyone to
        reach in a crisis it is not safe, and the plan says so instead."""
        return bool(self.crisis_contacts)


def _count(model):
    rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


# Its SQL built once (recovery_support/sql_once.py): every plan step's progress reads it.
_ITEM_COUNTS = SqlOnce(
    lambda plan_id: Plan.objects.filter(pk=plan_id).values(
        n_activities=_count(Activity), n_relapse=_count(RelapseItem), n_goals=_count(Goal)
    ),
    plan_id=STAND_IN_ID,
)


def item_counts(plan: Plan) -> dict[str, int]:
    """How many activities, relapse-prevention items and goals the plan has: one query,
    one scalar subquery each (a join of the three would multiply their rows)."""
    (counts,) = _ITEM_COUNTS.rows(plan_id=plan.pk)
    return {
        "activities": counts["n_activities"],
        "relapse_items": counts["n_relapse"],
        "goals": counts["n_goals"],
    }


def steps(
    plan: Plan, sources: list[PlanSource], *, activities: int, relapse_items: int, goals: int
) -> Steps:
    yes = agreed(sources)
    commitments = activities + sum(1 for s in yes if s.source.contact_every_days)
    not_asked = [s for s in sources if s.outcome == Outcome.NOT_ASKED]
    missing = {
        1: []
        if sources
        else [gettext("Choose at least one person or group who could support you")],
        2: [gettext("Ask %(name)s") % {"name": s.source.name} for s in not_asked]
        + (
            []
            if yes or not_asked or not sources
            else [gettext("Someone who says yes: ask one more")]
        ),
        3: [
            gettext("What %(name)s can realistically give") % {"name": s.source.name}
            for s in yes
            if not s.can_give.strip()
        ]
        or ([] if yes else [gettext("Someone who said yes in step 2")]),
        4: [
            *(
                []
                if commitments
                else [gettext("A meeting, a session or someone to stay in touch with")]
            ),
            *(
                []
                if relapse_items
                else [gettext("A warning sign, trigger or craving, and what you will do")]
            ),
            *([] if goals else [gettext("A goal")]),
            *(
                []
                if plan.first_day_after_slip.strip()
                else [gettext("What you will do in the first 24 hours after a slip")]
            ),
        ],
    }
    missing[2] = missing[2] if sources else [gettext("Someone to ask, chosen in step 1")]
    crisis = [
        s.source.name
        for s in sources
        if s.source.crisis_contact and s.source.influence != Influence.RISK
    ]
    return Steps(
        done={n: not missing[n] for n in (1, 2, 3, 4)},
        missing=missing,
        crisis_contacts=crisis,
    )


def _days(*names: str) -> dict[str, int]:
    return {word: day for day, words in enumerate(names) for word in words.split()}


# A weekday as a group writes it, in English or Spanish (accents dropped first):
# "Tuesdays", "Tue", "martes", "los miércoles", "sáb". Whole words only, so
# "Montserrat" or "frío" is no day ("mar" alone is the sea as often as Tuesday).
WEEKDAYS = {
    **_days(
        "mon monday mondays",
        "tue tues tuesday tuesdays",
        "wed weds wednesday wednesdays",
        "thu thur thurs thursday thursdays",
        "fri friday fridays",
        "sat saturday saturdays",
        "sun sunday sundays",
    ),
    **_days(
        "lun lunes",
        "martes",
        "mie miercoles",
        "jue jueves",
        "vie viernes",
        "sab sabado sabados",
        "dom domingo domingos",
    ),
}
# A time: "7pm", "7.30 p.m.", "7 p. m.", "19:00", "19h30", "19 h", "7 de la tarde".
# A bare number ("2nd floor", "sala 3", "a las 7") is no time: the member fills it in.
MEETS_TIME = re.compile(
    r"\b(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*"
    r"(a\.?\s?m\b\.?|p\.?\s?m\b\.?|h(?:s|rs?|oras)?\b|de la (?:manana|tarde|noche))?",
    re.I,
)


@dataclass
class MeetingOffer:
    """A group of the plan that says when it meets, offered as a meeting of step 4."""

    source: SupportSource
    weekday: int | None
    time: time | None


def _plain(text: str) -> str:
    """Lower case without accents: "Miércoles" -> "miercoles", "mañana" -> "manana"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_meets_when(text: str) -> tuple[int | None, time | None]:
    """ "Tuesdays 7pm" -> (1, 19:00), "los martes a las 19:00" -> (1, 19:00); what
    cannot be read is None (the member fills it in)."""
    text = _plain(text)
    weekday = next((WEEKDAYS[w] for w in re.findall(r"[a-z]+", text) if w in WEEKDAYS), None)
    at = None
    for match in MEETS_TIME.finditer(text):
        hour, minute, said = int(match[1]), int(match[2] or 0), match[3] or ""
        if not said and not match[2]:
            continue  # a bare number
        afternoon = said.startswith("p") or said.endswith(("tarde", "noche"))
        morning = said.startswith("a") or said.endswith("manana")
        if afternoon and hour < 12:
            hour += 12
        elif (morning or said.endswith("noche")) and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            at = time(hour, minute)
            break
    return weekday, at


def meeting_offers(sources: list[PlanSource], activities) -> list[MeetingOffer]:
    """Groups who agreed and say when they meet, not yet among the plan's meetings
    (by name). Reads nothing more: the sources and meetings are the page's own."""
    titles = {a.title.strip().lower() for a in activities}
    offers = []
    for ps in agreed(sources):
        source = ps.source
        if (
            source.category in COMMUNITY_CATEGORIES
            and source.meets_when.strip()
            and source.name.strip().lower() not in titles
        ):
            offers.append(MeetingOffer(source, *read_meets_when(source.meets_when)))
    return offers


# Where what was asked for is not covered: one sentence each kind of support.
NOBODY_AGREED = {
    SupportType.EMOTIONAL: _("Nobody has agreed to emotional support yet."),
    SupportType.PRACTICAL: _("Nobody has agreed to practical support yet."),
    SupportType.INFORMATIONAL: _("Nobody has agreed to information and advice support yet."),
    SupportType.RELAPSE_PREVENTION: _("Nobody has agreed to relapse prevention support yet."),
}


@dataclass
class Warning:
    code: str
    message: str
    sources: list = field(default_factory=list)


def expectation_warnings(sources: list[PlanSource]) -> list[Warning]:
    """Where the plan leans on one person, or needs more than people can give."""
    warnings = []
    yes = agreed(sources)
    weight = {s.pk: max(1, len(s.ask_support)) for s in yes}
    total = sum(weight.values())
    for source in yes:
        if len(yes) == 1 or weight[source.pk] / total > CARRYING_SHARE:
            warnings.append(
                Warning(
                    "one_person_carries",
                    gettext(
                        "%(name)s carries most of your plan. If they are away or "
                        "unwell, who else could step in? Consider asking one more person."
                    )
                    % {"name": source.source.name},
                    [source],
                )
            )
    for source in yes:
        if (
            source.ask_how_often
            and source.can_give_how_often
            and source.can_give_how_often > source.ask_how_often
        ):
            warnings.append(
                Warning(
                    "needs_more_than_offered",
                    gettext(
                        "You hoped to hear from %(name)s %(hoped)s, and they can manage "
                        "%(can)s. Could someone else fill the gap?"
                    )
                    % {
                        "name": source.source.name,
                        "hoped": source.get_ask_how_often_display().lower(),
                        "can": source.get_can_give_how_often_display().lower(),
                    },
                    [source],
                )
            )
    asked_for = {t for s in sources for t in s.ask_support}
    covered = {t for s in yes for t in s.ask_support}
    for support in SupportType:
        if support in asked_for and support not in covered:
            warnings.append(
                Warning(
                    f"uncovered_{support.value}",
                    str(NOBODY_AGREED[support]),
                )
            )
    return warnings


@dataclass
class Commitment:
    text: str
    due_today: bool


@dataclass
class PlanSummary:
    plan: Plan | None
    steps: Steps | None
    today: list[Commitment]
    this_week: list[Commitment]
    goals: list
    nudges: list = field(default_factory=list)  # plans/nudges.py, of today


def schedule_of(owner) -> CheckInSchedule:
    """The member's reminder schedule, or the defaults, unsaved, until they save it."""
    return CheckInSchedule.objects.filter(owner=owner).first() or CheckInSchedule(owner=owner)


def plan_of(owner) -> Plan | None:
    """The member's plan, if they have started one (reads never start one)."""
    found = _PLAN.rows(owner_id=owner.pk)
    return found[0] if found else None


# The member's plan as plan_of reads it, with how many relapse-prevention items it has
# (the dashboard says whether step 4 still wants one): one query for the two.
_PLAN_AND_RELAPSE_COUNT = SqlOnce(
    lambda owner_id: _the_plan(owner_id).annotate(n_relapse=_count(RelapseItem))[:1],
    owner_id=STAND_IN_ID,
)


def dashboard_for(user, network) -> PlanSummary:
    """Where the plan stands, for the member's dashboard: a fixed handful of queries."""
    found = _PLAN_AND_RELAPSE_COUNT.rows(owner_id=user.pk)
    plan = found[0] if found else None
    if plan is None:
        return PlanSummary(None, None, [], [], [], day_nudges(network.sources, [], network.today))
    sources = plan_sources(plan, current=network.sources)
    activities = activities_of(plan)
    goals = goals_of(plan)
    state = steps(
        plan,
        sources,
        activities=len(activities),
        relapse_items=plan.n_relapse,
        goals=len(goals),
    )
    today = network.today
    week = []
    for activity in activities:
        words = {
            "day": activity.get_weekday_display(),
            "time": time_format(activity.time),
            "title": activity.title,
            "place": activity.place,
        }
        text = (
            gettext("%(day)s %(time)s: %(title)s, %(place)s") % words
            if activity.place
            else gettext("%(day)s %(time)s: %(title)s") % words
        )
        week.append(Commitment(text, activity.weekday == today.weekday()))
    for ps in sources:
        source = ps.source  # the network's, with its last contact
        if ps.outcome == Outcome.AGREED and source.contact_every_days:
            due = days_since_contact(source, today) >= source.contact_every_days
            week.append(
                Commitment(
                    gettext("Be in touch with %(name)s (%(how_often)s)")
                    % {
                        "name": source.name,
                        "how_often": source.get_contact_every_days_display().lower(),
                    },
                    due,
                )
            )
    today_items = [c for c in week if c.due_today]
    later = [c for c in week if not c.due_today]
    nudges = day_nudges(network.sources, sources if plan.is_active else [], today)
    return PlanSummary(plan, state, today_items, later, goals, nudges)


MOOD_TICKS = MOOD_WORDS
CRAVING_TICKS = {0: "0", 5: "5", 10: "10"}  # the words are in the caption (numbers: no words)
HISTORY_WINDOWS = (30, 90)


@dataclass
class DayCount:
    """The member's day count, which their dashboard leads with."""

    recovery: charts.Recovery | None
    ask_start_date: bool  # no start date given, and not declined when asked
    ask_restart: bool  # a slip noted since they began counting, not yet answered


_NEVER_ANSWERED = datetime(1, 1, 1, tzinfo=UTC)
# A slip noted since the count began and after the last "Start counting again?" answer.
_SLIPS_SINCE = SqlOnce(
    lambda owner_id, since, answered: (
        HelpCall.objects.filter(
            owner_id=owner_id,
            kind=HelpCall.Kind.SLIP,
            created_at__gte=since,
            created_at__gt=answered,
        )
        .order_by()
        .values("pk")[:1]
    ),
    owner_id=STAND_IN_ID,
    since=datetime(1900, 1, 1, tzinfo=UTC),
    answered=datetime(1900, 1, 2, tzinfo=UTC),
)


def day_count_for(user) -> DayCount:
    """No query unless the member counts days; then one: whether they noted a slip
    since, which they have not yet answered "Start counting again?" for. The count
    goes on whatever happens, unless they choose to start again."""
    started_on = user.recovery_started_on
    if started_on is None:
        return DayCount(None, ask_start_date=not user.recovery_date_skipped, ask_restart=False)
    since = datetime.combine(started_on, time(0), tzinfo=ZoneInfo(user.time_zone))
    slips = _SLIPS_SINCE.rows(
        owner_id=user.pk, since=since, answered=user.slip_answered_at or _NEVER_ANSWERED
    )
    return DayCount(
        charts.recovery(started_on, user.local_today()),
        ask_start_date=False,
        ask_restart=bool(slips),
    )


def _made(owner, day: date, zone: str, at) -> days.Made:
    return days.Made(day, zone or owner.time_zone, at)


_LATEST_CHECKIN = SqlOnce(
    lambda owner_id: CheckIn.objects.filter(owner_id=owner_id).order_by("-day")[:1],
    owner_id=STAND_IN_ID,
)


def checkin_today(owner, *, now=None) -> tuple[date, CheckIn | None]:
    """The day a check-in made now belongs to, and the member's check-in of that day
    if they made it (plans/days.py: never before the latest check-in's day, which
    lasts until its midnight where it was made). One query."""
    latest = next(iter(_LATEST_CHECKIN.rows(owner_id=owner.pk)), None)
    last = latest and _made(owner, latest.day, latest.time_zone, latest.created_at)
    today = days.today_for(last, zone=owner.time_zone, now=now or timezone.now())
    return today, latest if latest and latest.day == today else None


def streak_of(owner, *, now=None) -> int:
    """The member's check-ins in a row, by the day rules of their own pages, for
    the people they show it to. One query."""
    now = now or timezone.now()
    rows = CheckIn.objects.filter(owner=owner).order_by("day")
    made = [_made(owner, *row) for row in rows.values_list("day", "time_zone", "created_at")]
    today = days.today_for(made[-1] if made else None, zone=owner.time_zone, now=now)
    return days.streak([m for m in made if m.day <= today], today=today, now=now)


def history_for(owner, *, window: int, today: date | None = None, now=None) -> dict:
    """A fixed handful of queries however long the history: every check-in's day and
    answers (a few numbers a day, needed whole for the streak), the schedule, and the
    contacts of the last eight weeks counted per week by the database. `today` is the
    member's (checkin_today) unless given."""
    now = now or timezone.now()
    rows = list(
        CheckIn.objects.filter(owner=owner)
        .order_by("day")
        .values_list("day", "mood", "craving", "time_zone", "created_at")
    )
    made = [_made(owner, day, zone, at) for day, _, _, zone, at in rows]
    if today is None:
        today = days.today_for(made[-1] if made else None, zone=owner.time_zone, now=now)
    made = [m for m in made if m.day <= today]
    window_start = today - timedelta(days=window - 1)
    checked_days = {m.day for m in made}
    in_window = [
        (day, mood, craving) for day, mood, craving, _, _ in rows if window_start <= day <= today
    ]

    schedule = CheckInSchedule.objects.filter(owner=owner).values("created_at", "weekdays").first()
    began = [rows[0][0]] if rows else []
    if schedule:
        began.append(timezone.localdate(schedule["created_at"]))
    missed = charts.missed_days(
        checked_days,
        window_start=window_start,
        today=today,
        began_on=min(began, default=None),
        weekdays=schedule["weekdays"] if schedule else (),
    )
    started_on = owner.recovery_started_on

    first_monday = today - timedelta(days=today.weekday(), weeks=7)
    weekly = (
        ContactLog.objects.filter(source__owner=owner, contacted_on__gte=first_monday)
        .annotate(monday=TruncWeek("contacted_on"))
        .order_by()
        .values("monday")
        .annotate(n=Count("pk"))
    )

    chart_window = {"start": window_start, "end": today}
    context = {
        "today": today,
        "window": window,
        "windows": HISTORY_WINDOWS,
        "streak": days.streak(made, today=today, now=now),
        "checked_in_today": today in checked_days,
        "recovery": charts.recovery(started_on, today) if started_on else None,
        "missed": missed,
        "checkin_count": len(in_window),
        "mood_chart": charts.line_chart(
            [(day, mood) for day, mood, _ in in_window],
            low=1,
            high=5,
            ticks=MOOD_TICKS,
            word=MOOD_WORDS.__getitem__,
            **chart_window,
        ),
        "craving_chart": charts.line_chart(
            [(day, craving) for day, _, craving in in_window],
            low=0,
            high=10,
            ticks=CRAVING_TICKS,
            word=craving_words,
            **chart_window,
        ),
        "contact_weeks": charts.contact_weeks({row["monday"]: row["n"] for row in weekly}, today),
    }
    return context


# Warning signs first: what the member notices earliest, then what sets them off.
HELP_ORDER = ["warning_sign", "trigger", "craving", "high_risk"]


def help_plan_for(owner) -> dict:
    """The member's own plan, for the help screen: each warning sign, trigger, craving
    and risky situation with what they will do and whom they will contact (a contact
    since removed from the network is left out), and their first 24 hours after a
    slip. Two queries, however long the plan."""
    plan = plan_of(owner)
    if plan is None:
        return {"help_plan": None, "relapse_items": []}
    items = sorted(
        plan.relapse_items.select_related("contact"),
        key=lambda item: (HELP_ORDER.index(item.kind), item.pk),
    )
    for item in items:
        if item.contact is not None and item.contact.deleted_at is not None:
            item.contact = None
    return {"help_plan": plan, "relapse_items": items}


def latest_checkins(owner_ids) -> dict[int, CheckIn]:
    """{member id: their latest check-in}, for a batch of reminders (one query)."""
    rows = (
        CheckIn.objects.filter(owner_id__any_of=owner_ids)
        .order_by("owner_id", "-day")
        .distinct("owner_id")
    )
    return {row.owner_id: row for row in rows}


def checked_in_by(owner, latest: CheckIn | None, at) -> bool:
    """Whether the member has checked in on the day a reminder due `at` is for (their
    day then, by plans/days.py, as checkin_today reads it; a check-in made since
    counts too), given their latest check-in (latest_checkins)."""
    if latest is None:
        return False
    last = _made(owner, latest.day, latest.time_zone, latest.created_at)
    return latest.day == days.today_for(last, zone=owner.time_zone, now=at)
