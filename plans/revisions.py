"""Describing changes to an active plan in words a person (and their counselor) reads.

A change is stored in English words ("what", "field", "before", "after") and with
what it was about ("kind", "name", "key", "raw"), so each reader reads it again in
their own language: a member in Spanish and their counselor in English read the
same change in their own words (`read`, through Revision.entries)."""

import copy
from dataclasses import dataclass
from datetime import date, time

from django import forms
from django.db.models import Model
from django.utils import translation
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.forms import (
    ActivityForm,
    AskForm,
    ContactCadenceForm,
    ExpectationForm,
    FirstDayForm,
    GoalForm,
    RelapseItemForm,
)
from plans.models import Activity, Goal, RelapseItem
from recovery_support.dates import local_date

# What a change is about, by kind: the words naming it, and the form that edits it.
SUBJECTS = {
    "source": _("Support source “%(name)s”"),
    "ask": _("Ask to %(name)s"),
    "expectations": _("Expectations of %(name)s"),
    "contact": _("Contact with %(name)s"),
    "first_day": _("The first 24 hours after a slip"),
    "activity": _("Activity “%(name)s”"),
    "relapse": _("Relapse prevention “%(name)s”"),
    "goal": _("Goal “%(name)s”"),
}
FORMS = {
    "ask": AskForm,
    "expectations": ExpectationForm,
    "contact": ContactCadenceForm,
    "first_day": FirstDayForm,
    "activity": ActivityForm,
    "relapse": RelapseItemForm,
    "goal": GoalForm,
}
ITEM_KINDS = {Activity: "activity", RelapseItem: "relapse", Goal: "goal"}
FORM_KINDS = {form: kind for kind, form in FORMS.items()}


@dataclass(frozen=True)
class Subject:
    """What a change is about: its kind (SUBJECTS) and the name people gave it."""

    kind: str
    name: str = ""

    def __str__(self) -> str:
        return SUBJECTS[self.kind] % {"name": self.name}


def _english(value) -> str:
    with translation.override("en"):
        return str(value)


def item_subject(item: Model) -> Subject:
    return Subject(ITEM_KINDS[type(item)], str(item))


def subject(form: forms.ModelForm) -> Subject:
    """What a valid form is about to change, as its revision names it. An item keeps
    the name it had before the change (a goal renamed is still the goal it was)."""
    item = form.instance
    if isinstance(form, AskForm):
        return Subject("ask", item.source.name)
    if isinstance(form, ExpectationForm):
        return Subject("expectations", item.source.name)
    if isinstance(form, ContactCadenceForm):
        return Subject("contact", item.name)
    if isinstance(form, FirstDayForm):
        return Subject("first_day")
    return item_subject(_as_stored(form) if item.pk else item)


def _as_stored(form: forms.ModelForm) -> Model:
    """The form's instance as it was before validation put the new values on it."""
    stored = copy.copy(form.instance)
    for name in form.changed_data:
        if not isinstance(form.fields[name], forms.ModelChoiceField):
            setattr(stored, name, form.initial.get(name))
    return stored


def display(field: forms.Field, value) -> str:
    """A value in words, in the active language."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if hasattr(value, "pk"):
        return str(value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, date):
        return local_date(value, "FULL_DATE")
    if isinstance(value, time):
        return time_format(value)
    return str(choices.get(value, choices.get(str(value), value)))


def _raw(value):
    """A value as it is kept, to say again in a reader's language (`_read_value`)."""
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _read_value(field: forms.Field, raw) -> str:
    if raw in (None, "", []):
        return "—"
    if isinstance(field, forms.ModelChoiceField):
        return str(raw)  # the name it had, as people wrote it
    if isinstance(field, forms.DateField):
        return display(field, date.fromisoformat(raw))
    if isinstance(field, forms.TimeField):
        return display(field, time.fromisoformat(raw))
    return display(field, raw)


def form_changes(form: forms.ModelForm, what: Subject) -> tuple[list[dict], list[Model]]:
    """One entry per field whose stored value changes: label, before and after; and
    the objects the values before named (the contact someone had), since a change
    naming one is as private as it is.

    Compares what was stored with what will be stored (after the form's clean()),
    so input that clean() discards, or that says the same thing, records nothing."""
    changes, named_before = [], []
    with translation.override("en"):
        for name in form.changed_data:
            field = form.fields[name]
            before = form.initial.get(name)
            if isinstance(field, forms.ModelChoiceField) and before is not None:
                before = field.queryset.model.objects.filter(pk=before).first()
            after = form.cleaned_data.get(name)
            before_text, after_text = display(field, before), display(field, after)
            if before_text != after_text:
                if isinstance(before, Model):
                    named_before.append(before)
                changes.append(
                    {
                        "what": str(what),
                        "field": str(field.label),
                        "before": before_text,
                        "after": after_text,
                        "kind": what.kind,
                        "name": what.name,
                        "key": name,
                        "raw": [_raw(before), _raw(after)],
                    }
                )
    return changes, named_before


def _event(what: Subject, after: str) -> list[dict]:
    return [
        {
            "what": _english(what),
            "field": "",
            "before": "",
            "after": after,
            "kind": what.kind,
            "name": what.name,
        }
    ]


def added(what: Subject) -> list[dict]:
    return _event(what, "added")


def removed(what: Subject) -> list[dict]:
    return _event(what, "removed")


def read(change: dict) -> dict:
    """A stored change in the active language: what, field, before and after, and
    whether it was an addition or a removal. A change stored before it kept what it
    was about ("kind") reads as it was stored."""
    entry = {
        **change,
        "added": change.get("after") == "added" and not change.get("field"),
        "removed": change.get("after") == "removed" and not change.get("field"),
    }
    kind = change.get("kind")
    if kind not in SUBJECTS:
        return entry
    entry["what"] = str(Subject(kind, change.get("name", "")))
    form = FORMS.get(kind)
    field = form.base_fields.get(change.get("key", "")) if form else None
    if field is not None and "raw" in change:
        before, after = change["raw"]
        entry.update(
            field=str(field.label),
            before=_read_value(field, before),
            after=_read_value(field, after),
        )
    return entry
