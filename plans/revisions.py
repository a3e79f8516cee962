"""Describing changes to an active plan in words a person (and their counselor) reads."""

import copy
from datetime import date, time

from django import forms
from django.db.models import Model
from django.utils.formats import time_format

from plans.forms import AskForm, ContactCadenceForm, ExpectationForm, FirstDayForm
from plans.models import Activity, Goal, RelapseItem

# How a revision names an item of step 4.
ITEM_KINDS = {Activity: "Activity", RelapseItem: "Relapse prevention", Goal: "Goal"}


def item_subject(item: Model) -> str:
    return f"{ITEM_KINDS[type(item)]} “{item}”"


def subject(form: forms.ModelForm) -> str:
    """What a valid form is about to change, as its revision names it. An item keeps
    the name it had before the change (a goal renamed is still the goal it was)."""
    item = form.instance
    if isinstance(form, AskForm):
        return f"Ask to {item.source.name}"
    if isinstance(form, ExpectationForm):
        return f"Expectations of {item.source.name}"
    if isinstance(form, ContactCadenceForm):
        return f"Contact with {item.name}"
    if isinstance(form, FirstDayForm):
        return "The first 24 hours after a slip"
    return item_subject(_as_stored(form) if item.pk else item)


def _as_stored(form: forms.ModelForm) -> Model:
    """The form's instance as it was before validation put the new values on it."""
    stored = copy.copy(form.instance)
    for name in form.changed_data:
        if not isinstance(form.fields[name], forms.ModelChoiceField):
            setattr(stored, name, form.initial.get(name))
    return stored


def display(field: forms.Field, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "pk"):
        return str(value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, time):
        return time_format(value)
    return str(choices.get(value, choices.get(str(value), value)))


def form_changes(form: forms.ModelForm, what: str) -> tuple[list[dict], list[Model]]:
    """One entry per field whose stored value changes: label, before and after; and
    the objects the values before named (the contact someone had), since a change
    naming one is as private as it is.

    Compares what was stored with what will be stored (after the form's clean()),
    so input that clean() discards, or that says the same thing, records nothing."""
    changes, named_before = [], []
    for name in form.changed_data:
        field = form.fields[name]
        before = form.initial.get(name)
        if isinstance(field, forms.ModelChoiceField) and before is not None:
            before = field.queryset.model.objects.filter(pk=before).first()
        before_text = display(field, before)
        after_text = display(field, form.cleaned_data.get(name))
        if before_text != after_text:
            if isinstance(before, Model):
                named_before.append(before)
            changes.append(
                {
                    "what": what,
                    "field": str(field.label),
                    "before": before_text,
                    "after": after_text,
                }
            )
    return changes, named_before


def added(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "added"}]


def removed(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "removed"}]
