"""Reads for sharing, always scoped to the person asking: a grant is found by its
grantee (or its member), never by id alone."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from networks import selectors as network_selectors
from networks.models import SupportSource
from plans import charts
from plans import selectors as plan_selectors
from plans.checkin_forms import MOOD_WORDS, craving_words
from plans.models import (
    Activity,
    CheckIn,
    Goal,
    HelpCall,
    Plan,
    RelapseItem,
    Revision,
    seen_by,
    visible,
)
from recovery_support.models import name_for_others
from recovery_support.sql_once import STAND_IN_ID, SqlOnce
from sharing import notes
from sharing.models import (
    AccessRecord,
    Encouragement,
    Grant,
    Invitation,
    Review,
    Role,
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
TREND_DAYS = 7
RECENT_DAYS = 14


# Each page of a member's data that a counselor or supporter opens starts here: its
# SQL (the grant, its member and grantee) built once (recovery_support/sql_once.py).
_GRANT = SqlOnce(
    lambda grantee_id, member_id, role: (
        Grant.objects.active()
        .select_related("member", "grantee")
        .filter(grantee_id=grantee_id, member_id=member_id, role=role)
        .order_by("pk")[:1]
    ),
    grantee_id=STAND_IN_ID,
    member_id=STAND_IN_ID + 1,
    role="a stand-in role",
)


def grant_for(user, member_id: int, role: str) -> Grant:
    """The user's live grant to this member's data in this role, or 404: a revoked or
    ended grant, or none, looks exactly like a member who does not exist."""
    found = _GRANT.rows(grantee_id=user.pk, member_id=member_id, role=role)
    if not found:
        raise Http404("No such person")
    return found[0]


def sharing_for(member) -> dict:
    """The member's sharing page: who has access, who was invited."""
    grants = list(Grant.objects.filter(member=member).with_is_active().select_related("grantee"))
    current = [g for g in grants if g.is_active]
    ended = [g for g in grants if g not in current]
    invitations = [
        i
        for i in Invitation.objects.filter(member=member, status=Invitation.Status.PENDING)
        if not i.is_expired
    ]
    return {"grants": current, "ended_grants": ended[-10:], "invitations": invitations}


ACCESS_LOG_PAGE = 50


@dataclass
class AccessLogPage:
    records: list[AccessRecord]
    number: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def access_log_for(member, *, page: int = 1) -> AccessLogPage:
    """One page of the member's access log, newest first, in one query: a row more
    than the page tells whether an older page follows."""
    start = (page - 1) * ACCESS_LOG_PAGE
    rows = list(AccessRecord.objects.filter(member=member)[start : start + ACCESS_LOG_PAGE + 1])
    return AccessLogPage(rows[:ACCESS_LOG_PAGE], page, has_older=len(rows) > ACCESS_LOG_PAGE)


# Its SQL built once (recovery_support/sql_once.py).
_LIVE_GRANTS_EITHER_WAY = SqlOnce(
    lambda user_id: (
        Grant.objects.active()
        .filter(Q(grantee_id=user_id) | Q(member_id=user_id, hide_messages=False))
        .select_related("member", "grantee")
    ),
    user_id=STAND_IN_ID,
)


ENCOURAGEMENTS_SHOWN = 5

# The newest messages that the member's grants in _LIVE_GRANTS_EITHER_WAY bring (the
# same conditions): its SQL built once too.
_ENCOURAGEMENTS = SqlOnce(
    lambda user_id: Encouragement.objects.filter(
        grant__in=Grant.objects.active().filter(member_id=user_id, hide_messages=False)
    )[:ENCOURAGEMENTS_SHOWN],
    user_id=STAND_IN_ID,
)


def encouragements_and_grants_held(user) -> tuple[list[Encouragement], list[Grant]]:
    """For the dashboard: the messages for the member from supporters who still have
    access and whose messages the member has not hidden, and the live grants the
    member holds from others (grants_held). One query of live grants either way,
    then the messages only where there are grants to bring them."""
    grants = _LIVE_GRANTS_EITHER_WAY.rows(user_id=user.pk)
    held = [grant for grant in grants if grant.grantee_id == user.pk]
    bringing = {grant.pk: grant for grant in grants if grant.member_id == user.pk}
    if not bringing:
        return [], held
    # (A grant that ended between the two reads keeps its messages out.)
    encouragements = [
        encouragement
        for encouragement in _ENCOURAGEMENTS.rows(user_id=user.pk)
        if encouragement.grant_id in bringing
    ]
    for encouragement in encouragements:
        encouragement.grant = bringing[encouragement.grant_id]
    return encouragements, held


def grants_held(user, *, role: str | None = None) -> list[Grant]:
    grants = Grant.objects.active().filter(grantee=user).select_related("member")
    return list(grants.filter(role=role) if role else grants)


# --- The counselor's dashboard ---------------------------------------------------


@dataclass
class ClientRow:
    grant_id: int
    member_id: int  # with `name`, all the list reads of the member themselves
    days_shared: bool  # the member shows this counselor the days they check in and miss
    last_checkin: date | None
    missed: list[date]
    craving_now: float | None
    craving_before: float | None
    asked_for_help: bool
    plan_status: str | None
    changes: int
    ever_checked_in: bool
    reasons: list[str] = field(default_factory=list)
    craving_trend: str = ""  # in words (_ListWords.craving_trend)
    name: str = ""  # for sorting by, and drawing
    anchor: str = ""  # the id of the row's heading

    @property
    def cravings_rising(self) -> bool:
        return (
            self.craving_now is not None
            and self.craving_before is not None
            and self.craving_now - self.craving_before >= 1
        )

    @property
    def reasons_shown(self) -> str:
        return ", ".join(self.reasons)


def _checkins(since: date, **filters):
    return CheckIn.objects.filter(owner=OuterRef("member_id"), day__gte=since, **filters)


HELP_WEEK = timedelta(days=7)
HELP_SHOWN = timedelta(days=14)  # on the client's page


def _help_calls(since: datetime):
    return HelpCall.objects.filter(
        owner=OuterRef("member_id"), kind=HelpCall.Kind.HELP, created_at__gte=since
    )


def _per_member(queryset, aggregate):
    return Subquery(
        queryset.order_by().values("owner").annotate(value=aggregate).values("value")[:1]
    )


def counselor_grants(counselor_id):
    """The counselor's live grants: exactly the clients their list shows."""
    return Grant.objects.active().filter(grantee_id=counselor_id, role=Role.COUNSELOR)


def _client_figures(
    *,
    counselor_id: int,
    recent: date,
    week: date,
    fortnight: date,
    this_monday: date,
    last_monday: date,
    monday_before: date,
    help_since: datetime,
) -> QuerySet:
    """Each live grant of the counselor, with its member's figures: each a correlated
    subquery on an indexed column. Built once per process (_CLIENT_FIGURES): only pass
    the arguments into the query, never look at them."""
    plans = Plan.objects.filter(owner=OuterRef("member_id"))
    return counselor_grants(counselor_id).values(
        "id",
        "member_id",
        "show_missed",
        member_name=F("member__display_name"),
        last_checkin=Subquery(
            CheckIn.objects.filter(owner=OuterRef("member_id")).order_by("-day").values("day")[:1]
        ),
        first_checkin=Subquery(
            CheckIn.objects.filter(owner=OuterRef("member_id")).order_by("day").values("day")[:1]
        ),
        recent_days=_per_member(_checkins(recent), ArrayAgg("day")),
        craving_now=Case(
            When(show_missed=True, then=_per_member(_checkins(week), Avg("craving"))),
            default=_per_member(_checkins(last_monday, day__lt=this_monday), Avg("craving")),
        ),
        craving_before=Case(
            When(
                show_missed=True,
                then=_per_member(_checkins(fortnight, day__lt=week), Avg("craving")),
            ),
            default=_per_member(_checkins(monday_before, day__lt=last_monday), Avg("craving")),
        ),
        # Only where the member lets this counselor hear of it.
        asked_for_help=Case(
            When(alert_on_help=True, then=Exists(_help_calls(help_since))),
            default=Value(False),
        ),
        schedule_weekdays=F("member__checkin_schedule__weekdays"),
        schedule_since=F("member__checkin_schedule__created_at"),
        plan_status=Subquery(plans.order_by("pk").values("status")[:1]),
        changes=Coalesce(
            Subquery(
                Revision.objects.visible_to(Role.COUNSELOR)
                .filter(
                    plan__owner=OuterRef("member_id"),
                    created_at__gt=Coalesce(
                        OuterRef("last_reviewed_at"), Value(EPOCH, DateTimeField())
                    ),
                )
                .order_by()
                .values("plan__owner")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
    )


# A stand-in for each value: found among the query's parameters by type and value, so
# none is a value the query holds itself.
_CLIENT_FIGURES = SqlOnce(
    _client_figures,
    counselor_id=STAND_IN_ID,
    **{
        name: date(1900, 1, 1) + timedelta(days=n)
        for n, name in enumerate(
            ("recent", "week", "fortnight", "this_monday", "last_monday", "monday_before")
        )
    },
    help_since=datetime(1900, 2, 1, tzinfo=UTC),
)


def client_figure_values(counselor_id: int, *, today: date) -> dict:
    """What _client_figures is asked with, for the counselor on `today`."""
    week = today - timedelta(days=TREND_DAYS - 1)
    this_monday = today - timedelta(days=today.weekday())
    return {
        "counselor_id": counselor_id,
        "recent": today - timedelta(days=RECENT_DAYS),
        "week": week,
        "fortnight": week - timedelta(days=TREND_DAYS),
        "this_monday": this_monday,
        "last_monday": this_monday - timedelta(weeks=1),
        "monday_before": this_monday - timedelta(weeks=2),
        "help_since": timezone.now() - HELP_WEEK,
    }


def clients_for(counselor, *, today: date) -> list[ClientRow]:
    """Every client of the counselor with what needs attention, in one query however
    many clients (_client_figures).

    Cravings are those of the last seven days and the seven before where the member
    shows the days they check in, else of the last two finished weeks (Monday to
    Sunday), which no check-in moves until the week is over."""
    values = client_figure_values(counselor.pk, today=today)
    recent = values["recent"]
    figures = _CLIENT_FIGURES.rows(**values)
    zone = timezone.get_current_timezone()
    words = _ListWords()
    rows = []
    for client in figures:
        shared = client["show_missed"]
        # Missed days are the member's to share: without consent the list stays empty.
        missed = charts.missed_days(
            set(client["recent_days"] or ()),
            window_start=recent,
            today=today,
            began_on=_began_on(client, zone) if shared else None,
            weekdays=client["schedule_weekdays"] or (),
        )
        member_id = client["member_id"]
        row = ClientRow(
            grant_id=client["id"],
            member_id=member_id,
            days_shared=shared,
            last_checkin=client["last_checkin"] if shared else None,
            missed=missed,
            craving_now=client["craving_now"],
            craving_before=client["craving_before"],
            asked_for_help=client["asked_for_help"],
            plan_status=client["plan_status"],
            changes=client["changes"],
            ever_checked_in=client["first_checkin"] is not None,
            name=name_for_others(client["member_name"]),
            anchor=f"client-{member_id}",
        )
        row.reasons = words.reasons(row, today)
        row.craving_trend = words.craving_trend(row)
        rows.append(row)
    rows.sort(key=_first_who_need_you)
    return rows


def _began_on(client: dict, zone) -> date | None:
    """The first day the member could have missed: their first check-in's, or the day
    they set their schedule up, whichever came first."""
    began = [d for d in (client["first_checkin"],) if d]
    if client["schedule_since"]:
        began.append(timezone.localdate(client["schedule_since"], zone))
    return min(began, default=None)


FIRST_SCREEN = 25  # clients the list shows before "Show the other …"


# How cravings go, in words whole for each case and each week, so that each language
# orders them its own way: "this week" where the member shows the days they check in
# (the last seven days), else "last week" (the last finished one).
_TRENDS = {
    ("none", True): gettext_noop("no check-ins this week"),
    ("none", False): gettext_noop("no check-ins last week"),
    ("alone", True): gettext_noop("about %(now)s of 10 this week"),
    ("alone", False): gettext_noop("about %(now)s of 10 last week"),
    ("rising", True): gettext_noop("rising: about %(now)s of 10 this week, up from %(before)s"),
    ("rising", False): gettext_noop("rising: about %(now)s of 10 last week, up from %(before)s"),
    ("easing", True): gettext_noop("easing: about %(now)s of 10 this week, down from %(before)s"),
    ("easing", False): gettext_noop("easing: about %(now)s of 10 last week, down from %(before)s"),
    ("steady", True): gettext_noop("steady at about %(now)s of 10 this week"),
    ("steady", False): gettext_noop("steady at about %(now)s of 10 last week"),
}


class _ListWords:
    """The client list's words in the counselor's language, each translated once for
    the whole list rather than once per client: gettext asks which language is on at
    every call, and a list has a hundred clients."""

    def __init__(self) -> None:
        self.trends = {case: gettext(words) for case, words in _TRENDS.items()}
        self.asked_for_help = gettext("asked for help this week")
        self.cravings_rising = gettext("cravings rising")
        self.no_checkin = gettext("no check-in for over a week")
        self.plan_changed = gettext("plan changed since your last review")
        self.missed = {}  # by the number of days missed

    def reasons(self, row: ClientRow, today: date) -> list[str]:
        """Why the client needs attention."""
        reasons = []
        if row.asked_for_help:
            reasons.append(self.asked_for_help)
        if row.cravings_rising:
            reasons.append(self.cravings_rising)
        if (count := len(row.missed)) >= 2:
            if count not in self.missed:
                self.missed[count] = ngettext(
                    "%(count)s missed check-in in %(days)s days",
                    "%(count)s missed check-ins in %(days)s days",
                    count,
                ) % {"count": count, "days": RECENT_DAYS}
            reasons.append(self.missed[count])
        if row.days_shared and (row.last_checkin is None or (today - row.last_checkin).days > 7):
            reasons.append(self.no_checkin)
        if row.changes:
            reasons.append(self.plan_changed)
        return reasons

    def craving_trend(self, row: ClientRow) -> str:
        now, before, this_week = row.craving_now, row.craving_before, row.days_shared
        if now is None:
            return self.trends["none", this_week]
        if before is None:
            return self.trends["alone", this_week] % {"now": f"{now:.0f}"}
        if row.cravings_rising:
            change = "rising"
        elif now - before <= -1:
            change = "easing"
        else:
            change = "steady"
        return self.trends[change, this_week] % {"now": round(now), "before": round(before)}


def _first_who_need_you(row: ClientRow) -> tuple:
    """The order of the list: everyone with a reason to need attention before anyone
    without one (the first screen shows 25), then a call for help, rising cravings,
    more missed check-ins, never having checked in, and the name."""
    return (
        not row.reasons,
        not row.asked_for_help,
        not row.cravings_rising,
        -min(len(row.missed), 9),
        row.ever_checked_in,
        row.name.casefold(),
    )


# --- One client, as their counselor sees them ----------------------------------


REVIEWS_SHOWN = 20


# What changed since the counselor's last review, as plans.selectors.plan_changes
# reads it for them: its SQL, with the subqueries that keep out what the member keeps
# private, built once (recovery_support/sql_once.py).
_REVISIONS_SINCE = SqlOnce(
    lambda plan_id, since: (
        Revision.objects.filter(plan_id=plan_id, created_at__gt=since)
        .select_related("author")
        .visible_to(Role.COUNSELOR)
    ),
    plan_id=STAND_IN_ID,
    since=datetime(1900, 3, 1, tzinfo=UTC),
)


_REVIEWS = SqlOnce(
    lambda plan_id: Review.objects.filter(plan_id=plan_id)[:REVIEWS_SHOWN], plan_id=STAND_IN_ID
)


def client_view(grant: Grant) -> dict:
    """Everything of the member's that a counselor may read, without what they keep
    private: private sources (and plan entries about them), private relapse items,
    check-in notes, and revisions about any of those. In the order the page shows it:
    what needs attention, the plan (with step 2's asks and outcomes), the check-ins,
    the network, the comments and the reviews. Days are the member's (plans/days.py),
    wherever the counselor is."""
    member = grant.member
    plan = plan_selectors.plan_of(member)
    context: dict = {"plan": plan, "member": member, "help_calls": help_calls_for(grant)}
    if plan is not None:
        visible = visible_plan(plan)
        since = grant.last_reviewed_at or EPOCH
        context.update(
            visible,
            reviews=_REVIEWS.rows(plan_id=plan.pk),
            revisions=_REVISIONS_SINCE.rows(plan_id=plan.pk, since=since),
            comment_items=notes.comment_items(visible),
            empty_draft=is_empty_draft(plan, visible),
        )
        context["threads"] = notes.client_threads(plan, context["comment_items"])
    network = network_selectors.network_for(member)
    context["sources"] = [s for s in network.sources if not s.is_private]
    context["crisis_contacts"] = [
        s for s in context["sources"] if s.crisis_contact and s.influence != "risk"
    ]
    if grant.show_missed:
        context["history"] = history = plan_selectors.history_for(member, window=30)
        start, end = history["today"] - timedelta(days=29), history["today"]
    else:  # no day's check-in, nor a figure that a day's check-in moves
        weeks = finished_weeks(member, today=member.local_today())
        context["history"], context["weeks"] = None, weeks
        context["week_charts"] = week_charts(weeks)
        start, end = weeks[0].monday, weeks[-1].monday + timedelta(days=6)
    context["checkin_facts"] = checkin_facts(member, start=start, end=end)
    return context


def visible_plan(plan: Plan) -> dict:
    """What a counselor sees of the plan: its people (`asked_sources`, and of them
    those who agreed, `plan_sources`), with their boundaries where the member shows
    them, and the entries shown to a counselor (plan_entries), without private
    sources."""
    sources = [ps for ps in plan_selectors.plan_sources(plan) if not ps.source.is_private]
    for ps in sources:
        if not visible(ps.boundaries_visibility, Role.COUNSELOR):
            ps.my_boundaries = ps.their_boundaries = ""
    return {
        "plan_sources": plan_selectors.agreed(sources),
        "asked_sources": sources,
        **plan_entries(plan, Role.COUNSELOR),
    }


def _entries_read(model, role: str, *related: str) -> SqlOnce:
    def build(plan_id):
        rows = model.objects.filter(plan_id=plan_id).visible_to(role)
        return rows.select_related(*related) if related else rows

    return SqlOnce(build, plan_id=STAND_IN_ID)


# The plan's entries as a counselor or a supporter sees them: each read's SQL built
# once per role (recovery_support/sql_once.py).
_ENTRIES = {
    role: {
        "activities": _entries_read(Activity, role),
        "relapse_items": _entries_read(RelapseItem, role, "contact"),
        "goals": _entries_read(Goal, role),
    }
    for role in (Role.COUNSELOR, Role.SUPPORTER)
}


def plan_entries(plan: Plan, role: str) -> dict:
    """The entries of the member's plan a reader in `role` sees, each by the member's
    choice for it (plans.Visibility): activities, relapse items (never naming a
    private source, nor anyone to a supporter), goals, and the first 24 hours after a
    slip, blanked on this copy of the plan where the reader does not see them
    (`first_day_kept`). Three queries."""
    reads = _ENTRIES[role]
    relapse_items = reads["relapse_items"].rows(plan_id=plan.pk)
    for item in relapse_items:
        if item.contact and (item.contact.is_private or role == Role.SUPPORTER):
            item.contact = None
    first_day_kept = not visible(plan.first_day_visibility, role)
    if first_day_kept:
        plan.first_day_after_slip = ""
    return {
        "activities": reads["activities"].rows(plan_id=plan.pk),
        "relapse_items": relapse_items,
        "goals": reads["goals"].rows(plan_id=plan.pk),
        "first_day_kept": first_day_kept,
    }


def is_empty_draft(plan: Plan, visible: dict) -> bool:
    """A draft without anything in it a counselor could judge: nobody chosen, no
    meeting, relapse item or goal they can see, no first 24 hours. ("Looks good" is
    refused for it.)"""
    parts = ("asked_sources", "activities", "relapse_items", "goals")
    return (
        not plan.is_active
        and not plan.first_day_after_slip.strip()
        and not any(visible[part] for part in parts)
    )


def _help_calls_known(*, member_id: int, grantee_id: int, since: datetime, help_too: bool):
    allowed = Q(kind=HelpCall.Kind.SLIP, tell=grantee_id)
    if help_too:
        allowed |= Q(kind=HelpCall.Kind.HELP)
    return (
        HelpCall.objects.filter(owner_id=member_id, created_at__gte=since)
        .filter(allowed)
        .only("kind", "created_at")
        .distinct()
        .order_by("-created_at")
    )


# One read for a counselor who hears of calls for help, one for a counselor who does
# not, each built once (recovery_support/sql_once.py).
_HELP_CALLS_KNOWN = {
    help_too: SqlOnce(
        partial(_help_calls_known, help_too=help_too),
        member_id=STAND_IN_ID,
        grantee_id=STAND_IN_ID + 1,
        since=datetime(1900, 4, 1, tzinfo=UTC),
    )
    for help_too in (True, False)
}


def help_calls_for(grant: Grant) -> list[HelpCall]:
    """The member's help calls of the last two weeks this counselor may know of: when
    they asked for help, if they let this counselor hear of it (alert_on_help), and
    a slip they chose to tell this counselor of. Never a slip's note."""
    return _HELP_CALLS_KNOWN[grant.alert_on_help].rows(
        member_id=grant.member_id,
        grantee_id=grant.grantee_id,
        since=timezone.now() - HELP_SHOWN,
    )


@dataclass(frozen=True)
class CheckInFacts:
    start: date
    end: date
    meetings: int  # check-ins that said a meeting was attended
    triggers: list[tuple[str, int]]  # each relapse item met, and how many times


def _checkins_between(owner_id: int, start: date, end: date):
    return CheckIn.objects.filter(owner_id=owner_id, day__gte=start, day__lte=end)


_DAY_STAND_INS = {"start": date(1900, 5, 1), "end": date(1900, 5, 2)}
_MEETINGS = SqlOnce(
    lambda owner_id, start, end: (
        _checkins_between(owner_id, start, end)
        .filter(meeting_attended=True)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
        .order_by()
    ),
    owner_id=STAND_IN_ID,
    **_DAY_STAND_INS,
)
_TRIGGERS_MET = SqlOnce(
    lambda owner_id, start, end: (
        CheckIn.triggers.through.objects.filter(
            checkin__in=_checkins_between(owner_id, start, end),
            relapseitem__visibility__in=seen_by(Role.COUNSELOR),
        )
        .values_list("relapseitem__description")
        .annotate(n=Count("pk"))
        .order_by("-n", "relapseitem__description")
    ),
    owner_id=STAND_IN_ID,
    **_DAY_STAND_INS,
)


def checkin_facts(member, *, start: date, end: date) -> CheckInFacts:
    """From the check-ins from `start` to `end`: how many said a meeting was attended,
    and which of the plan's relapse items (not private) were met, how often. Counts
    only, never a day. Two queries, each built once."""
    meetings = _MEETINGS.rows(owner_id=member.pk, start=start, end=end)
    met = _TRIGGERS_MET.rows(owner_id=member.pk, start=start, end=end)
    return CheckInFacts(start, end, meetings[0] if meetings else 0, met)


WEEKS_SHOWN = 4


@dataclass(frozen=True)
class WeekAverage:
    monday: date
    mood: str | None  # the word for the average mood, None for a week without check-ins
    craving: int | None
    mood_value: int | None = None  # 1 to 5, for the chart


_WEEK_AVERAGES = SqlOnce(
    lambda owner_id, start, end: (
        CheckIn.objects.filter(owner_id=owner_id, day__gte=start, day__lt=end)
        .annotate(monday=TruncWeek("day"))
        .order_by()
        .values("monday")
        .annotate(mood=Avg("mood"), craving=Avg("craving"))
    ),
    owner_id=STAND_IN_ID,
    **_DAY_STAND_INS,
)


def finished_weeks(member, *, today: date, weeks: int = WEEKS_SHOWN) -> list[WeekAverage]:
    """The average mood and craving of each of the last finished weeks (Monday to
    Sunday), oldest first, in one query: what a counselor sees while the member keeps
    the days they check in to themselves. Nothing here moves until a week is over."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks, 0, -1)]
    averages = {
        row["monday"]: row
        for row in _WEEK_AVERAGES.rows(owner_id=member.pk, start=mondays[0], end=this_monday)
    }
    return [
        WeekAverage(
            monday,
            MOOD_WORDS[round(averages[monday]["mood"])] if monday in averages else None,
            round(averages[monday]["craving"]) if monday in averages else None,
            round(averages[monday]["mood"]) if monday in averages else None,
        )
        for monday in mondays
    ]


def week_charts(weeks: list[WeekAverage]) -> dict:
    """Mood and cravings week by week (each week at its Monday), drawn as the member's
    own history is (plans.charts): the trend, with no day in it."""
    if not weeks:
        return {}
    window = {"start": weeks[0].monday, "end": weeks[-1].monday}
    return {
        "mood": charts.line_chart(
            [(w.monday, w.mood_value) for w in weeks if w.mood_value is not None],
            low=1,
            high=5,
            ticks=plan_selectors.MOOD_TICKS,
            word=MOOD_WORDS.__getitem__,
            **window,
        ),
        "craving": charts.line_chart(
            [(w.monday, w.craving) for w in weeks if w.craving is not None],
            low=0,
            high=10,
            ticks=plan_selectors.CRAVING_TICKS,
            word=craving_words,
            **window,
        ),
    }


def supporter_view(grant: Grant) -> dict:
    """What the member shows this supporter, each part by their choice for this grant:
    the entries of their plan shared with supporters (show_plan: goals, and any
    activity, relapse item or first 24 hours they chose to share), their day count and
    milestones (show_days), the streak (show_streak); and what this supporter has sent,
    with the member's replies. Days are the member's, wherever the supporter is."""
    member = grant.member
    plan = plan_selectors.plan_of(member) if grant.show_plan else None
    entries = {"goals": [], "activities": [], "relapse_items": [], "first_day_kept": True}
    if plan is not None:
        entries = plan_entries(plan, Role.SUPPORTER)
    streak = plan_selectors.streak_of(member) if grant.show_streak else None
    sent = list(grant.encouragements.all()[:10])
    recovery = None
    if grant.show_days and member.recovery_started_on:
        recovery = charts.recovery(member.recovery_started_on, member.local_today())
    return {**entries, "shared_plan": plan, "recovery": recovery, "streak": streak, "sent": sent}


# --- Help now and slips (plans.HelpCall) --------------------------------------------


def people_with_access(member) -> list[Grant]:
    """The member's live grants, with whom they are to."""
    grants = Grant.objects.active().filter(member=member).select_related("grantee")
    return list(grants.order_by("role", "pk"))


def help_grants(call) -> QuerySet[Grant]:
    """Whom a help call alerts: for help now, everyone with live access the member
    allowed to hear of it (alert_on_help, set per person, off until they switch it
    on); for a slip, only the people they ticked who still have access."""
    grants = Grant.objects.active().filter(member_id=call.owner_id)
    if call.is_slip:
        return grants.filter(grantee__in=call.tell.all())
    return grants.filter(alert_on_help=True)


@dataclass
class Told:
    grant: Grant
    told: bool
    phone: str  # the member's number for them, from their own network, or ""


def help_told_for(call) -> list[Told]:
    """Everyone with live access to the member, and whether this help call tells them,
    with the number the member keeps for them in their network (a source with the
    same email address), to call or text. Two queries, however many people."""
    grants = list(
        Grant.objects.active()
        .filter(member_id=call.owner_id)
        .select_related("grantee")
        .annotate(told=Exists(help_grants(call).filter(pk=OuterRef("pk"))))
        .order_by("role", "pk")
    )
    if not grants:
        return []
    phones = dict(
        SupportSource.objects.filter(owner_id=call.owner_id, deleted_at__isnull=True)
        .exclude(phone="")
        .annotate(address=Lower("email"))
        .filter(address__in={grant.grantee.email.lower() for grant in grants})
        .order_by("pk")  # the newest source wins: dict() keeps the last
        .values_list("address", "phone")
    )
    return [Told(g, g.told, phones.get(g.grantee.email.lower(), "")) for g in grants]


def comment_items_for(plan: Plan) -> dict:
    """What a counselor may comment on (sharing.notes.comment_items)."""
    return notes.comment_items(visible_plan(plan))
