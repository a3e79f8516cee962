"""Writes to the support plan. Every change to an active plan is kept as a revision."""

from datetime import date

from django.db import transaction
from django.db.models import Model
from django.forms import ModelForm
from django.utils import timezone

from networks import services as network_services
from networks.models import SupportSource
from plans import reminders, revisions, selectors, signals
from plans.models import (
    NARROW_TO_WIDE,
    Activity,
    CheckIn,
    CheckInSchedule,
    Goal,
    HelpCall,
    Plan,
    PlanSource,
    RelapseItem,
    Revision,
    Visibility,
    narrowest,
)


def plan_start(*, owner) -> Plan:
    """The member's plan, started as an empty draft on their first visit."""
    plan = selectors.plan_of(owner)  # read on every plan page: its SQL built once
    if plan is None:
        plan, _ = Plan.objects.get_or_create(owner=owner)
    return plan


def _revise(
    plan: Plan, author, changes: list[dict], *, about: list[Model], before: str | None = None
) -> None:
    """Record changes to an active plan, with what they name (`about`: what they
    concern, before and after the change). A revision is read by no one the entries it
    names are kept from, when it is made (`before`: the choice the entry had before
    this change) and, when read, by their choices then (Revision.visible_to)."""
    if plan.is_active and changes:
        named = [thing for concern in about for thing in _names(concern)]
        ids = {model: sorted({t.pk for t in named if type(t) is model}) for model in NAMED_IDS}
        Revision.objects.create(
            plan=plan,
            author=author,
            changes=changes,
            visibility=_visibility(named, before),
            first_day=any(isinstance(t, Plan) for t in named),
            **{field: ids[model] for model, field in NAMED_IDS.items()},
        )


# Where a revision keeps the ids of what it names, by kind.
NAMED_IDS = {
    SupportSource: "source_ids",
    RelapseItem: "relapse_item_ids",
    Goal: "goal_ids",
    Activity: "activity_ids",
    PlanSource: "boundary_ids",
}
# A plan entry's choice of who sees it, by kind (a plan named: its first 24 hours; a
# person of the plan named: their boundaries).
VISIBILITY_FIELDS = {
    RelapseItem: "visibility",
    Goal: "visibility",
    Activity: "visibility",
    Plan: "first_day_visibility",
    PlanSource: "boundaries_visibility",
}
BOUNDARY_FIELDS = {"my_boundaries", "their_boundaries", "boundaries_visibility"}


def _visibility(named: list[Model], before: str | None) -> str:
    """The narrowest choice of what a change names: a source kept private is the
    member's alone, any other source is no supporter's (they do not see the network),
    and a change naming no entry with a choice of its own is the counselor's."""
    choices = [before] if before else []
    for thing in named:
        if isinstance(thing, SupportSource):
            choices.append(Visibility.ONLY_ME if thing.is_private else Visibility.COUNSELOR)
        else:
            choices.append(getattr(thing, VISIBILITY_FIELDS[type(thing)]))
    return narrowest(choices or [Visibility.COUNSELOR])


def _names(concern: Model) -> list[Model]:
    """An entry of the plan or a source, and the source it names (a plan's entry
    about someone, the contact of a relapse item), each with its own choice of who
    sees it."""
    named = [concern] if type(concern) in NAMED_IDS or isinstance(concern, Plan) else []
    for name in ("source", "contact"):
        related = getattr(concern, name, None)
        if isinstance(related, SupportSource):
            named.append(related)
    return named


def _wider_than(choice: str) -> list[str]:
    return list(NARROW_TO_WIDE[NARROW_TO_WIDE.index(choice) + 1 :])


@transaction.atomic
def plan_choose_sources(*, plan: Plan, sources: list[SupportSource], author) -> None:
    """Step 1: the chosen sources are in the plan, the others are not."""
    chosen = {source.pk: source for source in sources}
    current = {ps.source_id: ps for ps in plan.plan_sources.select_related("source")}
    to_remove = [ps for source_id, ps in current.items() if source_id not in chosen]
    to_add = [source for pk, source in chosen.items() if pk not in current]
    PlanSource.objects.filter(pk__in=[ps.pk for ps in to_remove]).delete()
    PlanSource.objects.bulk_create(PlanSource(plan=plan, source=s) for s in to_add)
    _revise(
        plan,
        author,
        [
            *(c for s in to_add for c in revisions.added(revisions.Subject("source", s.name))),
            *(
                c
                for ps in to_remove
                for c in revisions.removed(revisions.Subject("source", ps.source.name))
            ),
        ],
        about=[*to_add, *(ps.source for ps in to_remove)],
    )


@transaction.atomic
def plan_source_add(*, plan: Plan, source: SupportSource, author) -> PlanSource:
    plan_source, created = PlanSource.objects.get_or_create(plan=plan, source=source)
    if created:
        _revise(
            plan, author, revisions.added(revisions.Subject("source", source.name)), about=[source]
        )
    return plan_source


@transaction.atomic
def plan_item_save(*, plan: Plan, form: ModelForm, author) -> Model:
    """Save a valid form for an item of the plan (or the plan itself, or the contact
    with a source), recording the change in words with what it names before and after."""
    is_new = form.instance.pk is None
    what = revisions.subject(form)
    if is_new:
        changes, named_before = revisions.added(what), []
    else:
        changes, named_before = revisions.form_changes(form, what)
    item = form.save(commit=False)
    if hasattr(item, "plan_id") and is_new:
        item.plan = plan
    item.save()
    concern = item
    if isinstance(item, PlanSource) and not BOUNDARY_FIELDS & set(form.changed_data):
        concern = item.source  # what was asked or offered: about the person, not boundaries
    field = VISIBILITY_FIELDS.get(type(concern))
    before = form.initial.get(field) if field and not is_new else None
    _revise(plan, author, changes, about=[*named_before, concern], before=before)
    return item


@transaction.atomic
def plan_expectations_save(*, plan_source: PlanSource, form: ModelForm, author) -> PlanSource:
    """Step 3, what someone can give:
    1. save it, as any answer of the plan;
    2. carry "how often they can" to step 4's staying in touch, where nothing is
       planned yet (a contact the member already chose is theirs to change)."""
    from plans.forms import ContactCadenceForm  # forms import the models, as we do

    plan_source = plan_item_save(plan=plan_source.plan, form=form, author=author)
    how_often = plan_source.can_give_how_often
    source = plan_source.source
    if how_often and not source.contact_every_days:
        cadence = ContactCadenceForm({"contact_every_days": how_often}, instance=source)
        if cadence.is_valid():
            plan_item_save(plan=plan_source.plan, form=cadence, author=author)
    return plan_source


@transaction.atomic
def plan_item_delete(*, plan: Plan, item: Model, author) -> None:
    """Remove an item of step 4:
    1. record its removal (first: deleting it forgets its id);
    2. keep every change naming it from whoever it was kept from, which could no
       longer tell once it is gone;
    3. delete it."""
    _revise(plan, author, revisions.removed(revisions.item_subject(item)), about=[item])
    naming = {f"{NAMED_IDS[type(item)]}__contains": [item.pk]}
    plan.revisions.filter(**naming, visibility__in=_wider_than(item.visibility)).update(
        visibility=item.visibility
    )
    item.delete()


def plan_activate(*, plan: Plan, author) -> Plan:
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at", "updated_at"])
    return plan


# The schedule's own answers; the time zone is kept on the member's account.
SCHEDULE_FIELDS = ["local_time", "weekdays", "paused"]


@transaction.atomic
def schedule_save(*, owner, data: dict) -> CheckInSchedule:
    """The member's check-in reminders, created on their first save (never on a visit:
    the day the schedule begins is the first a check-in can be missed):
    1. keep their time zone on their account, which reminders follow;
    2. set the next reminder from now, in that zone (none while paused);
    3. create or update their one schedule (safe against a double submit)."""
    owner.time_zone = data["time_zone"]
    owner.save(update_fields=["time_zone"])
    answers = {name: data[name] for name in SCHEDULE_FIELDS}
    schedule = CheckInSchedule(owner=owner, **answers)
    reminders.schedule_start(schedule=schedule)
    schedule, _ = CheckInSchedule.objects.update_or_create(
        owner=owner, defaults={**answers, "next_due_at": schedule.next_due_at}
    )
    return schedule


# The fields saved as they are; the two lists of choices are set after the row exists.
SCALAR_FIELDS = ["mood", "craving", "coping_used", "meeting_attended", "note", "needed_help"]


@transaction.atomic
def checkin_save(*, owner, day: date, data: dict) -> CheckIn:
    """Today's check-in, created or replaced by the latest answers:
    1. create or update the row for the day (safe against a double submit, which
       would otherwise race to insert it twice), keeping the zone it was first made
       in (plans/days.py);
    2. set the triggers met and the supports contacted;
    3. log a contact with each support for that day, as "Talked today" would.
    A support unticked later keeps its contact log: it may have been logged on the
    network page too, and a contact that happened is not undone by an edit."""
    checkin, _ = CheckIn.objects.update_or_create(
        owner=owner,
        day=day,
        defaults={name: data[name] for name in SCALAR_FIELDS},
        create_defaults={
            **{name: data[name] for name in SCALAR_FIELDS},
            "time_zone": owner.time_zone,
        },
    )
    checkin.triggers.set(data["triggers"])
    checkin.supports_contacted.set(data["supports_contacted"])
    network_services.contacts_log(sources=list(data["supports_contacted"]), on=day)
    return checkin


def _help_requested(call: HelpCall) -> None:
    # Whoever the member chose hears of it, once committed (sharing listens).
    transaction.on_commit(
        lambda: signals.help_requested.send(sender=HelpCall, help_call_id=call.pk)
    )


@transaction.atomic
def help_call_create(*, owner, kind: str = HelpCall.Kind.HELP, note: str = "", tell=()) -> HelpCall:
    """The member asks for help now, or tells of a slip: saved at once, with nothing
    else required, and the people they chose are alerted (`tell`: for a slip, the
    people with access they ticked; nobody else hears of a slip)."""
    call = HelpCall.objects.create(owner=owner, kind=kind, note=note)
    if tell:
        call.tell.set(tell)
    _help_requested(call)
    return call


def help_call_from_checkin(*, owner, day: date) -> HelpCall:
    """ "I need help now" ticked in the check-in of `day`: saved before the check-in,
    whether or not the rest of it can be. The tick asks once that day: saving the
    check-in again, or finishing it later with the tick still on, alerts nobody again
    (a unique constraint holds against two submits at once)."""
    call, created = HelpCall.objects.get_or_create(
        owner=owner, checkin_day=day, defaults={"kind": HelpCall.Kind.HELP}
    )
    if created:
        _help_requested(call)
    return call
