"""{% url %} as Django's, but each URL pattern is reversed once per process.

A list of 60 rows with six links each reversed 374 URLs a page, about a third of
its time (Django's `reverse` walks the resolver for every call). This tag reverses
a pattern once with a stand-in for each whole-number argument, checks the result
against Django's own `reverse` for the first real arguments, and from then on
fills in the numbers. Anything else (keyword arguments, negative numbers, text
that is not slug-like, `as` variables of patterns that fail) goes through
Django's `reverse` as before.

settings.TEMPLATES lists this module in "builtins", so `{% url %}` in every
template is this one, without a `{% load %}`.
"""

import re

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

# A stand-in number that appears in none of our paths.
from recovery_support.sql_once import STAND_IN_ID

register = template.Library()

SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_SHAPES: dict[tuple, list[str] | None] = {}


def shape(args) -> tuple | None:
    """Numbers vary within a shape; slug-like text is part of it (a handful of
    values, such as the kinds of plan item). None: not for the fast path."""
    parts = []
    for arg in args:
        if type(arg) is int and arg >= 0:
            parts.append(int)
        elif isinstance(arg, str) and SLUG.match(arg):
            parts.append(arg)
        else:
            return None
    return tuple(parts)


def _shape_key(view_name: str, args: list, current_app: str | None) -> tuple | None:
    parts = shape(args)
    if parts is None:
        return None
    return (view_name, parts, current_app, get_script_prefix(), get_urlconf())


def _pieces(view_name: str, args: list, current_app: str | None) -> list[str] | None:
    """The URL split around its number arguments, or None where that is not exact."""
    stand_ins = [STAND_IN_ID + i if type(arg) is int else arg for i, arg in enumerate(args)]
    try:
        url = reverse(view_name, args=stand_ins, current_app=current_app)
    except NoReverseMatch:
        return None
    pieces, rest = [], url
    for i, arg in enumerate(args):
        if type(arg) is int:
            before, found, rest = rest.partition(str(STAND_IN_ID + i))
            if not found:
                return None
            pieces.append(before)
    pieces.append(rest)
    return pieces


def fill(pieces: list[str], args: list) -> str:
    """The URL: each number argument between its pieces (a plain loop: a list's rows
    fill hundreds a page, and a join over zip took four times as long)."""
    url, i = pieces[0], 0
    for arg in args:
        if type(arg) is int:
            i += 1
            url += str(arg) + pieces[i]
    return url


def pieces_of(view_name: str, args: list, current_app: str | None = None) -> list[str] | None:
    """The URL of this shape split around its numbers (_fill puts them in), or None
    where only Django's `reverse` gives it."""
    key = _shape_key(view_name, args, current_app)
    if key is None:
        return None
    if key not in _SHAPES:
        url = reverse(view_name, args=args, current_app=current_app)
        pieces = _pieces(view_name, args, current_app)
        # Kept only where it gives exactly what Django gives.
        _SHAPES[key] = pieces if pieces is not None and fill(pieces, args) == url else None
    return _SHAPES[key]


def fast_reverse(view_name: str, args: list, current_app: str | None = None) -> str:
    pieces = pieces_of(view_name, args, current_app)
    if pieces is None:
        return reverse(view_name, args=args, current_app=current_app)
    return fill(pieces, args)


class FastURLNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = fast_reverse(view_name, args, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
