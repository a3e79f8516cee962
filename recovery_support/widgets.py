"""Django's own widget and error-list templates, drawn in Python: the same HTML,
character for character, at a tenth of the cost.

A form drew each field through three to five nested templates, one set per option
of a choice (`select_option.html`, `input_option.html`, `input.html`,
`attrs.html`): about two thirds of a form's time, and forms were most of the time
of the network page, the plan steps and the check-in. `FormRenderer`
(recovery_support/forms.py) draws the templates named here with these functions
(our field layout too, templates/forms/field.html, which was half of a plan step's
time) and any other template (a widget of our own) as before.

Each function returns what its template renders, trailing newline included; the
renderer strips the outer whitespace as Django's does. Everything is escaped as
the templates escape it (`{{ value }}` and `{{ value|stringformat:'s' }}` keep a
value already marked safe), with Python's `html.escape`, as Django's does.
tests/recovery_support/test_widgets.py renders every widget of our forms both
ways and compares them, hostile text included; it fails if a project template
ever overrides one of these.
"""

import html
from collections.abc import Callable
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

Widget = dict[str, Any]
PREFIX = "django/forms/widgets/"


def _text(value) -> str:
    """{{ value }}: conditional_escape, without its lazy-string wrapper (a page draws
    thousands of these)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    if not isinstance(value, str):
        value = str(localize(value))
    return html.escape(value)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}"""
    text = str(value)
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html"""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Widget) -> str:
    """input.html"""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    name = _text(widget["name"])
    return f'<input type="{_text(widget["type"])}" name="{name}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(widget: Widget) -> str:
    """input_option.html: an input, wrapped in its label"""
    html = _input(widget)
    if widget["wrap_label"]:
        id_ = widget["attrs"].get("id")
        label_for = f' for="{_text(id_)}"' if id_ else ""
        html = f"<label{label_for}>{html} {_text(widget['label'])}</label>"
    return html + "\n"


def _select_option(widget: Widget) -> str:
    """select_option.html"""
    value, attrs = _formatted(widget["value"]), _attrs(widget["attrs"])
    return f'<option value="{value}"{attrs}>{_text(widget["label"])}</option>\n'


def _option(option: Widget) -> str:
    """{% include option.template_name with widget=option %}"""
    return WIDGETS[option["template_name"]](option)


def _groups(widget: Widget, opening: str, option: str, closing: str) -> str:
    """The options, in their groups: each group opens with `opening` (its name as
    {}), each option is `option` around its drawing ({}), a group ends with `closing`."""
    html = []
    for group, options, _ in widget["optgroups"]:
        if group:
            html.append(opening.format(_text(group)))
        html.extend(option.format(_option(choice)) for choice in options)
        if group:
            html.append(closing)
    return "".join(html)


def _select(widget: Widget) -> str:
    """select.html"""
    options = _groups(widget, '\n  <optgroup label="{}">', "\n  {}", "\n  </optgroup>")
    return f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>\n'


def _multiple_input(widget: Widget) -> str:
    """multiple_input.html: radio buttons or checkboxes, each in a div"""
    id_, css_class = widget["attrs"].get("id"), widget["attrs"].get("class")
    id_ = f' id="{_text(id_)}"' if id_ else ""
    css_class = f' class="{_text(css_class)}"' if css_class else ""
    options = _groups(widget, "\n  <div><label>{}</label>", "<div>\n    {}</div>", "\n  </div>")
    return f"<div{id_}{css_class}>{options}\n</div>\n"


def _textarea(widget: Widget) -> str:
    """textarea.html"""
    value = _text(widget["value"]) if widget["value"] else ""
    name, attrs = _text(widget["name"]), _attrs(widget["attrs"])
    return f'<textarea name="{name}"{attrs}>\n{value}</textarea>\n'


def _included(draw: Callable[[Widget], str]) -> Callable[[Widget], str]:
    """A template that is only `{% include "…" %}` and its file's newline."""
    return lambda widget: draw(widget) + "\n"


def _error_list(context: dict) -> str:
    """errors/list/ul.html (and default.html, which includes it): a field's errors"""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_ = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{id_}>{items}</ul>'


def _field(context: dict) -> str:
    """templates/forms/field.html: our layout of one field, its label, help, errors
    and widget."""
    field = context["field"]
    label = _text(field.label) if field.label else ""
    optional = not field.field.required and not getattr(field.form, "hide_optional", False)
    # The same words as the template's {% translate "(optional)" %}, in the reader's
    # language.
    optional_tag = ""
    if optional:
        optional_tag = f' <span class="optional">{_text(gettext("(optional)"))}</span>'
    checkbox = field.widget_type == "checkbox"
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_text(described)}"' if described else ""
        legend = f"<legend>{label}{optional_tag}</legend>" if field.label else ""
        heading = f"\n<fieldset{described}>\n  {legend}\n"
    elif checkbox:
        box, for_ = _text(field), _text(field.id_for_label)
        heading = f'\n  <div class="check">{box} <label for="{for_}">{label}</label></div>\n'
    elif field.label:
        heading = f'\n  <label for="{_text(field.id_for_label)}">{label}{optional_tag}</label>\n'
    else:
        heading = ""
    help_ = ""
    if field.help_text:
        id_ = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_ = f'<div class="helptext"{id_}>{field.help_text}</div>'
    widget = _text(field) if field.use_fieldset or not checkbox else ""
    closing = "</fieldset>" if field.use_fieldset else ""
    return (
        f'<div class="field">\n{heading}\n{help_}\n{_text(field.errors)}\n{widget}\n'
        f"{closing}\n</div>\n"
    )


def _of_widget(draw: Callable[[Widget], str]) -> Callable[[dict], str]:
    return lambda context: draw(context["widget"])


INPUTS = ["checkbox", "color", "date", "datetime", "email", "hidden", "number", "password"]
INPUTS += ["search", "tel", "text", "time", "url"]
WIDGETS: dict[str, Callable[[Widget], str]] = {
    f"{PREFIX}input.html": _input,
    **{f"{PREFIX}{kind}.html": _included(_input) for kind in INPUTS},
    f"{PREFIX}input_option.html": _input_option,
    f"{PREFIX}radio_option.html": _included(_input_option),
    f"{PREFIX}checkbox_option.html": _included(_input_option),
    f"{PREFIX}select.html": _select,
    f"{PREFIX}select_option.html": _select_option,
    f"{PREFIX}multiple_input.html": _multiple_input,
    f"{PREFIX}radio.html": _included(_multiple_input),
    f"{PREFIX}checkbox_select.html": _included(_multiple_input),
    f"{PREFIX}textarea.html": _textarea,
}
# Template name -> what it draws from its context, with the keys it takes.
DRAWN: dict[str, tuple[Callable[[dict], str], set[str]]] = {
    **{name: (_of_widget(draw), {"widget"}) for name, draw in WIDGETS.items()},
    "django/forms/errors/list/default.html": (_error_list, {"errors", "error_class"}),
    "django/forms/errors/list/ul.html": (_error_list, {"errors", "error_class"}),
    "forms/field.html": (_field, {"field"}),
}


def drawn(option: Widget) -> SafeString:
    """One option of a choice widget, for a template that lays out a widget's options
    itself (templates/plans/checkin.jinja): the same HTML as `{% include
    option.template_name with widget=option %}`, without three nested templates."""
    return mark_safe(WIDGETS[option["template_name"]](option))  # noqa: S308 (escaped there)
