"""Django's i18n tags, with `{% translate "a constant" %}` drawn once per language.

A page says hundreds of fixed words, many of them inside loops (a row per client, a
card per person): Django's tag looks each up again at every render, through a lazy
string, localisation and escaping, about a quarter of the client list's time. A fixed
string (no variable, no filter, a fixed context if any) gives the same text in a
given language every time, so this node keeps what it drew for each language (and
escaping setting) and hands it back; so does a `{% blocktranslate %}` of words alone.
Any other `{% blocktranslate %}` builds its message id once instead of at every
render. Everything else is Django's own.

settings.TEMPLATES names this library "i18n", so `{% load i18n %}` loads it.
tests/recovery_support/test_fast_i18n.py draws each kind of the tag both ways.
"""

from functools import partial

from django import template
from django.template.base import TokenType
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class TranslateNode(i18n.TranslateNode):
    """Django's node, keeping what a fixed string draws, per language."""

    def prepare(self) -> None:
        expression, message_context = self.filter_expression, self.message_context
        self.fixed = (
            getattr(expression.var, "literal", None) is not None
            and not expression.filters
            and _fixed(message_context)
        )
        self.drawn = {}

    def render(self, context):
        if not self.fixed:
            return super().render(context)
        return _kept(self, context, (get_language(), context.autoescape), super().render)


class BlockTranslateNode(i18n.BlockTranslateNode):
    """Django's node, building each message id (its words joined, trimmed) once: it is
    the same at every render, whatever the context. One with no variable, no plural and
    a fixed context if any (a paragraph of words) draws the same in a given language
    every time, and is kept per language as a fixed {% translate %} is."""

    def prepare(self) -> None:
        self.built = {}
        self.fixed = (
            not self.extra_context
            and not self.plural
            and not any(token.token_type == TokenType.VAR for token in self.singular)
            and _fixed(self.message_context)
        )
        self.drawn = {}

    def render(self, context, nested=False):
        if not self.fixed:
            return super().render(context, nested)
        return _kept(self, context, get_language(), partial(super().render, nested=nested))

    def render_token_list(self, tokens):
        if id(tokens) not in self.built:
            self.built[id(tokens)] = super().render_token_list(tokens)
        message, names = self.built[id(tokens)]
        return message, list(names)  # render() adds the plural's names to this list


def _fixed(message_context) -> bool:
    """No message context, or one written out (not a variable, no filter)."""
    return message_context is None or not (message_context.is_var or message_context.filters)


def _kept(node, context, key, draw) -> str:
    """What a fixed node drew for `key` (its language), drawn once on a scratch context,
    as it reads nothing from the context; its `asvar` set as Django's node sets it."""
    if key not in node.drawn:
        scratch = context.new()
        output = draw(scratch)
        node.drawn[key] = scratch[node.asvar] if node.asvar else output
    if node.asvar:
        context[node.asvar] = node.drawn[key]
        return ""
    return node.drawn[key]


def _ours(django_tag, node_class):
    """Django's tag, parsed by Django, drawn by our node."""

    def tag(parser, token):
        node = django_tag(parser, token)
        node.__class__ = node_class
        node.prepare()
        return node

    return tag


for name in ("translate", "trans"):
    register.tag(name, _ours(i18n.do_translate, TranslateNode))
for name in ("blocktranslate", "blocktrans"):
    register.tag(name, _ours(i18n.do_block_translate, BlockTranslateNode))
