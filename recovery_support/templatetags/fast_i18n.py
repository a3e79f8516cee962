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
            and (message_context is None or not (message_context.is_var or message_context.filters))
        )
        self.drawn = {}

    def render(self, context):
        if not self.fixed:
            return super().render(context)
        key = (get_language(), context.autoescape)
        if key not in self.drawn:
            scratch = context.new()  # a fixed string reads nothing from the context
            output = super().render(scratch)
            self.drawn[key] = scratch[self.asvar] if self.asvar else output
        if self.asvar:
            context[self.asvar] = self.drawn[key]
            return ""
        return self.drawn[key]


class BlockTranslateNode(i18n.BlockTranslateNode):
    """Django's node, building each message id (its words joined, trimmed) once: it is
    the same at every render, whatever the context. One with no variable, no plural and
    a fixed context if any (a paragraph of words) draws the same in a given language
    every time, and is kept per language as a fixed {% translate %} is."""

    def prepare(self) -> None:
        self.built = {}
        message_context = self.message_context
        self.fixed = (
            not self.extra_context
            and not self.plural
            and not any(token.token_type == TokenType.VAR for token in self.singular)
            and (message_context is None or not (message_context.is_var or message_context.filters))
        )
        self.drawn = {}

    def render(self, context, nested=False):
        if not self.fixed:
            return super().render(context, nested)
        key = get_language()
        if key not in self.drawn:
            scratch = context.new()  # nothing read from the context
            output = super().render(scratch, nested)
            self.drawn[key] = scratch[self.asvar] if self.asvar else output
        if self.asvar:
            context[self.asvar] = self.drawn[key]
            return ""
        return self.drawn[key]

    def render_token_list(self, tokens):
        if id(tokens) not in self.built:
            self.built[id(tokens)] = super().render_token_list(tokens)
        message, names = self.built[id(tokens)]
        return message, list(names)  # render() adds the plural's names to this list


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
