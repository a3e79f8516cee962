"""{% jinja "path.jinja" "macro" arg ... %}: a Jinja2 macro's drawing, from a Django
template (recovery_support/jinja.py says why)."""

from django import template

from recovery_support.jinja import draw

register = template.Library()
register.simple_tag(draw, name="jinja")
