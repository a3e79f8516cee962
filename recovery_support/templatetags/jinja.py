"""{% jinja "path.jinja" "macro" arg ... %}: a Jinja2 macro's drawing, from a Django
template (recovery_support/jinja.py says why)."""

from django import template

from recovery_support.jinja import template as jinja_template

register = template.Library()


@register.simple_tag
def jinja(template_name: str, macro: str, *args):
    return getattr(jinja_template(template_name).module, macro)(*args)
