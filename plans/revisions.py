"""Describing changes to an active plan in words a person (and their counselor) reads."""

from datetime import date, time

from django import forms


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
        return value.strftime("%H:%M")
    return str(choices.get(value, choices.get(str(value), value)))


def form_changes(form: forms.ModelForm, what: str) -> list[dict]:
    """One entry per field whose stored value changes: label, before and after.

    Compares what was stored with what will be stored (after the form's clean()),
    so input that clean() discards, or that says the same thing, records nothing."""
    changes = []
    for name in form.changed_data:
        field = form.fields[name]
        before = form.initial.get(name)
        if isinstance(field, forms.ModelChoiceField) and before is not None:
            before = field.queryset.model.objects.filter(pk=before).first()
        before_text = display(field, before)
        after_text = display(field, form.cleaned_data.get(name))
        if before_text != after_text:
            changes.append(
                {
                    "what": what,
                    "field": str(field.label),
                    "before": before_text,
                    "after": after_text,
                }
            )
    return changes


def added(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "added"}]


def removed(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "removed"}]
