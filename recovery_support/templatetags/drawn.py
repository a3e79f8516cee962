"""`{{ option|drawn }}`: one option of a choice widget, drawn in Python like every
widget of our forms (recovery_support/widgets.py), for a template that lays out a
widget's options itself: the same HTML as `{% include option.template_name with
widget=option %}`, without three nested templates per option."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from recovery_support.widgets import WIDGETS

register = template.Library()


@register.filter
def drawn(option: dict) -> SafeString:
    return mark_safe(WIDGETS[option["template_name"]](option))  # noqa: S308 (escaped there)
