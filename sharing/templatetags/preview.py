"""{{ html|disable_controls }}: a page drawn for someone else, with every button and
field disabled, for the member's "See what they see" (sharing/preview.html). The
page keeps its own markup and styles; only `disabled` is added."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Our own tags only: text people typed is escaped, so "<button" in it reads "&lt;button".
CONTROL = re.compile(r"<(button|input|select|textarea)(?=[\s/>])", re.IGNORECASE)


@register.filter
def disable_controls(html: SafeString) -> SafeString:
    return mark_safe(CONTROL.sub(r"<\1 disabled", html))  # noqa: S308 (drawn by us, escaped)
