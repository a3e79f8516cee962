"""Writes to the support plan. Every change to an active plan is kept as a revision."""

from datetime import date

from django.db import transaction
from django.db.models import Model
from django.forms import ModelForm
from django.utils import timezone

from networks import services as network_services
from networks.models import SupportSource
from plans import revisions, signals
from plans.models import CheckIn, Plan, PlanSource, Revision


def plan_start(*, owner) -> Plan:
    """The member's plan, started as an empty draft on their first visit."""
    plan, _ = Plan.objects.get_or_create(owner=owner)
    return plan


def _revise(plan: Plan, author, changes: list[dict], *, private: bool = False) -> None:
    """Record changes to an active plan. Changes about something the member keeps
    private are marked, so that nobody they share with ever reads them."""
    if plan.is_active and changes:
        if private:
            changes = [{**change, "private": True} for change in changes]
        Revision.objects.create(plan=plan, author=author, changes=changes)


def _is_private(item: Model) -> bool:
    """An item kept private, or one that names a support source kept private."""
    if getattr(item, "is_private", False):
        return True
    return any(
        getattr(getattr(item, name, None), "is_private", False) for name in ("source", "contact")
    )


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
            *(c for s in to_add for c in revisions.added(f"Support source “{s.name}”")),
            *(
                c
                for ps in to_remove
                for c in revisions.removed(f"Support source “{ps.source.name}”")
            ),
        ],
        private=any(s.is_private for s in to_add) or any(ps.source.is_private for ps in to_remove),
    )


@transaction.atomic
def plan_source_add(*, plan: Plan, source: SupportSource, author) -> PlanSource:
    plan_source, created = PlanSource.objects.get_or_create(plan=plan, source=source)
    if created:
        _revise(
            plan,
            author,
            revisions.added(f"Support source “{source.name}”"),
            private=source.is_private,
        )
    return plan_source


@transaction.atomic
def plan_item_save(*, plan: Plan, form: ModelForm, author, what: str) -> Model:
    """Save a valid form for an item of the plan (or the plan itself)."""
    is_new = form.instance.pk is None
    changes = revisions.added(what) if is_new else revisions.form_changes(form, what)
    was_private = bool(form.initial.get("is_private"))
    item = form.save(commit=False)
    if hasattr(item, "plan_id") and is_new:
        item.plan = plan
    item.save()
    _revise(plan, author, changes, private=was_private or _is_private(item))
    return item


@transaction.atomic
def plan_item_delete(*, plan: Plan, item: Model, author, what: str) -> None:
    private = _is_private(item)
    item.delete()
    _revise(plan, author, revisions.removed(what), private=private)


def plan_activate(*, plan: Plan, author) -> Plan:
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at", "updated_at"])
    return plan


# The fields saved as they are; the two lists of choices are set after the row exists.
SCALAR_FIELDS = ["mood", "craving", "coping_used", "meeting_attended", "note", "needed_help"]


@transaction.atomic
def checkin_save(*, owner, day: date, data: dict) -> CheckIn:
    """Today's check-in, created or replaced by the latest answers:
    1. create or update the row for the day (safe against a double submit, which
       would otherwise race to insert it twice);
    2. set the triggers met and the supports contacted;
    3. log a contact with each support for that day, as "Talked today" would.
    A support unticked later keeps its contact log: it may have been logged on the
    network page too, and a contact that happened is not undone by an edit."""
    checkin, _ = CheckIn.objects.update_or_create(
        owner=owner, day=day, defaults={name: data[name] for name in SCALAR_FIELDS}
    )
    checkin.triggers.set(data["triggers"])
    checkin.supports_contacted.set(data["supports_contacted"])
    network_services.contacts_log(sources=list(data["supports_contacted"]), on=day)
    if checkin.needed_help:
        # Whoever the member asked us to alert hears of it (sharing listens).
        transaction.on_commit(
            lambda: signals.help_requested.send(sender=CheckIn, checkin_id=checkin.pk)
        )
    return checkin
