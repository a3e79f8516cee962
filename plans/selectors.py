"""Reads of a member's plan, always scoped to the member asking."""

from dataclasses import dataclass, field

from django.db.models import Count, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from networks.gaps import days_since_contact
from networks.models import SupportType
from plans.models import Activity, Goal, Outcome, Plan, PlanSource, RelapseItem

# One source holding more than this share of what the plan asks for "carries" it.
CARRYING_SHARE = 0.5


def plan_sources(plan: Plan) -> list[PlanSource]:
    return list(
        plan.plan_sources.select_related("source")
        .filter(source__deleted_at__isnull=True)
        .order_by("source__name", "pk")
    )


def agreed(sources: list[PlanSource]) -> list[PlanSource]:
    """The sources who said yes: they carry on to steps 3 and 4."""
    return [s for s in sources if s.outcome == Outcome.AGREED]


def plan_source_for(user, pk: int) -> PlanSource:
    return get_object_or_404(
        PlanSource.objects.select_related("plan", "source"), pk=pk, plan__owner=user
    )


def item_for(user, model: type[Model], pk: int) -> Model:
    """An activity, relapse item or goal of the member's own plan, or 404."""
    return get_object_or_404(model.objects.select_related("plan"), pk=pk, plan__owner=user)


STEP_TITLES = {
    1: "Who could support you",
    2: "Reach out",
    3: "What is realistic",
    4: "Your plan",
}


@dataclass
class Steps:
    """Which of the four steps are done, and which to take next."""

    done: dict[int, bool]

    @property
    def items(self) -> list[tuple[int, str, bool]]:
        return [(n, title, self.done[n]) for n, title in STEP_TITLES.items()]

    @property
    def next_step(self) -> int | None:
        return next((n for n in (1, 2, 3, 4) if not self.done[n]), None)


def item_counts(plan: Plan) -> dict[str, int]:
    """How many activities, relapse-prevention items and goals the plan has: one query,
    one scalar subquery each (a join of the three would multiply their rows)."""

    def count(model):
        rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    counts = (
        Plan.objects.filter(pk=plan.pk)
        .values(n_activities=count(Activity), n_relapse=count(RelapseItem), n_goals=count(Goal))
        .get()
    )
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
    return Steps(
        done={
            1: bool(sources),
            2: bool(yes) and all(s.outcome != Outcome.NOT_ASKED for s in sources),
            3: bool(yes) and all(s.can_give.strip() for s in yes),
            4: bool(commitments and relapse_items and goals and plan.first_day_after_slip.strip()),
        }
    )


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
                    f"{source.source.name} carries most of your plan. If they are away or "
                    "unwell, who else could step in? Consider asking one more person.",
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
                    f"You hoped to hear from {source.source.name} "
                    f"{source.get_ask_how_often_display().lower()}, and they can manage "
                    f"{source.get_can_give_how_often_display().lower()}. "
                    "Could someone else fill the gap?",
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
                    f"Nobody has agreed to {support.label.lower()} support yet.",
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


def dashboard_for(user, network) -> PlanSummary:
    """Where the plan stands, for the member's dashboard: a fixed handful of queries."""
    plan = Plan.objects.filter(owner=user).order_by("pk").first()
    if plan is None:
        return PlanSummary(None, None, [], [], [])
    sources = plan_sources(plan)
    activities = list(plan.activities.all())
    goals = list(plan.goals.all())
    state = steps(
        plan,
        sources,
        activities=len(activities),
        relapse_items=plan.relapse_items.count(),
        goals=len(goals),
    )
    today = network.today
    week = []
    for activity in activities:
        when = f"{activity.get_weekday_display()} {activity.time:%H:%M}"
        where = f", {activity.place}" if activity.place else ""
        week.append(
            Commitment(f"{when}: {activity.title}{where}", activity.weekday == today.weekday())
        )
    by_id = {s.pk: s for s in network.sources}  # with their last contact
    for ps in sources:
        source = by_id.get(ps.source_id)
        if ps.outcome == Outcome.AGREED and source and source.contact_every_days:
            due = days_since_contact(source, today) >= source.contact_every_days
            week.append(
                Commitment(
                    f"Be in touch with {source.name} "
                    f"({source.get_contact_every_days_display().lower()})",
                    due,
                )
            )
    today_items = [c for c in week if c.due_today]
    later = [c for c in week if not c.due_today]
    return PlanSummary(plan, state, today_items, later, goals)
