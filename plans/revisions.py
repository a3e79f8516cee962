"""Describing changes to an active plan in words a person (and their counselor) reads."""

from datetime import date, time

from django import forms


def display(field: forms.Field, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(choices.get(value, choices.get(str(value), value)))


def form_changes(form: forms.ModelForm, what: str) -> list[dict]:
    """One entry per changed field: label, before and after, for display."""
    changes = []
    for name in form.changed_data:
        field = form.fields[name]
        before = form.initial.get(name)
        if isinstance(field, forms.ModelChoiceField) and before is not None:
            before = field.queryset.model.objects.filter(pk=before).first()
        changes.append(
            {
                "what": what,
                "field": str(field.label),
                "before": display(field, before),
                "after": display(field, form.cleaned_data.get(name)),
            }
        )
    return changes


def added(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "added"}]


def removed(what: str) -> list[dict]:
    return [{"what": what, "field": "", "before": "", "after": "removed"}]
