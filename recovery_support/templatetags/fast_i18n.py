"""Django's i18n tags, with `{% translate "a constant" %}` drawn once per language.

A page says hundreds of fixed words, many of them inside loops (a row per client, a
card per person): Django's tag looks each up again at every render, through a lazy
string, localisation and escaping, about a quarter of the client list's time. A fixed
string (no variable, no filter, a fixed context if any) gives the same text in a
given language every time, so this node keeps what it drew for each language (and
escaping setting) and hands it back. `{% blocktranslate %}` builds its message id once
instead of at every render. Everything else is Django's own.

settings.TEMPLATES names this library "i18n", so `{% load i18n %}` loads it.
tests/recovery_support/test_fast_i18n.py draws each kind of the tag both ways.
"""

from django import template
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class TranslateNode(i18n.TranslateNode):
    """Django's node, keeping what a fixed string draws, per language."""

    def render(self, context):
        if not self._is_fixed():
            return super().render(context)
        key = (get_language(), context.autoescape)
        drawn = self.__dict__.setdefault("_drawn", {})
        if key not in drawn:
            scratch = context.new()  # a fixed string reads nothing from the context
            output = super().render(scratch)
            drawn[key] = scratch[self.asvar] if self.asvar else output
        if self.asvar:
            context[self.asvar] = drawn[key]
            return ""
        return drawn[key]

    def _is_fixed(self) -> bool:
        fixed = self.__dict__.get("_fixed")
        if fixed is None:
            expression, message_context = self.filter_expression, self.message_context
            fixed = self._fixed = (
                getattr(expression.var, "literal", None) is not None
                and not expression.filters
                and (
                    message_context is None
                    or not (message_context.is_var or message_context.filters)
                )
            )
        return fixed


class BlockTranslateNode(i18n.BlockTranslateNode):
    """Django's node, building each message id (its words joined, trimmed) once: it is
    the same at every render, whatever the context."""

    def render_token_list(self, tokens):
        built = self.__dict__.setdefault("_built", {})
        if id(tokens) not in built:
            built[id(tokens)] = super().render_token_list(tokens)
        message, names = built[id(tokens)]
        return message, list(names)  # render() adds the plural's names to this list


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    node = i18n.do_block_translate(parser, token)
    node.__class__ = BlockTranslateNode
    return node


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    node.__class__ = TranslateNode
    return node
