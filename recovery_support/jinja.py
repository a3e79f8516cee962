"""Jinja2, for the rows of the longest lists.

A row of the network page cost the Django template language about 0.4 ms: each of
its 45 nodes looks up variables through several kinds of access, escapes and joins.
Jinja2 compiles a template to Python, and the same row costs a fraction of that.
The pages stay Django templates, with their partials; a list's rows are Jinja2
macros in a `.jinja` file beside the page (templates/networks/network.jinja),
which a partial calls with {% jinja "networks/network.jinja" "source_row" source
today %} (templatetags/jinja.py).

Each language has an environment of its own. It translates `_("words")` once, as it
compiles a template (TranslatedWords), so a row's fixed words cost nothing to draw;
its `_` is that language's catalogue, and `obj|label("field")` the choice's label in
it, kept per field. Nothing in a row asks, word by word, which language is on.
Links are `"app:view"|url(arg, ...)`, dates `day|local_date("SHAPE")`. Every helper
is a filter: Jinja2 calls a filter directly, a function through the context's
checks, which took as long as drawing a link.

In these files words are marked as `_("...")` or `_("... %(name)s ...")|format(
name=...)`: the shapes `makemessages` reads (the project's command adds .jinja
files to what it reads) and `manage.py untranslated` checks. An undefined name
or attribute raises, so a typing mistake fails a test instead of drawing nothing.
Every file is autoescaped but a `.svg.jinja` one (the network map's numbers), where
any text a person typed is escaped with |e.
"""

from contextvars import ContextVar
from functools import cache, lru_cache
from gettext import NullTranslations

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.timesince import timesince
from django.utils.translation import trans_real
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from networks.gaps import days_overdue
from recovery_support.dates import local_date
from recovery_support.templatetags.fast_url import fast_reverse, fill, pieces_of, shape
from recovery_support.widgets import drawn

# The URL shapes of one drawing (draw()): a list's rows fill in their numbers without
# asking, URL by URL, which script prefix and URL conf are on (fast_url.py keys on both).
_SHAPES_NOW: ContextVar[dict | None] = ContextVar("URL shapes of this drawing", default=None)


def url(view_name: str, *args) -> str:
    """{% url %}, as `"app:view"|url(arg, ...)`: each pattern reversed once per
    process (fast_url.py), and its shape looked up once per drawing."""
    shapes = _SHAPES_NOW.get()
    if shapes is None:
        return fast_reverse(view_name, list(args))
    key = (view_name, shape(args))
    if key not in shapes:
        shapes[key] = pieces_of(view_name, list(args)) if key[1] is not None else None
    pieces = shapes[key]
    return reverse(view_name, args=args) if pieces is None else fill(pieces, args)


def draw(template_name: str, macro: str, *args) -> Markup:
    """What the macro `macro` of `template_name` draws, in the language that is on:
    escaped as it was drawn (autoescaped, or |e in a .svg.jinja file), so safe."""
    token = _SHAPES_NOW.set({})
    try:
        drawn = getattr(template(template_name).module, macro)(*args)
        return Markup(drawn)  # noqa: S704 (escaped as drawn: autoescaped, or |e in .svg.jinja)
    finally:
        _SHAPES_NOW.reset(token)


@cache
def _labels(language: str | None, model: type[Model], name: str) -> dict:
    field = model._meta.get_field(name)
    field = getattr(field, "base_field", field)  # the choices of an array's items
    with translation.override(language):
        return {value: str(label) for value, label in field.flatchoices}


class TranslatedWords(Extension):
    """`_("words")` of a constant becomes the words in the environment's language as
    the template compiles; any other call of `_` is left to run."""

    def filter_stream(self, stream: TokenStream):
        gettext = self.environment.globals["_"]
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            name, *call = tokens[i : i + 4]
            if name.test("name:_") and [t.type for t in call] == ["lparen", "string", "rparen"]:
                yield Token(name.lineno, "string", gettext(call[1].value))
                i += 4
            else:
                yield name
                i += 1


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    """A test that changes the languages or catalogues gets environments anew, as
    Django's own translations are."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        environment.cache_clear()
        _labels.cache_clear()


@cache
def environment(language: str | None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(settings.BASE_DIR / "templates"),
        # .svg.jinja, as the module says: escaping an SVG's numbers took half its time.
        # (A `{% autoescape false %}` block would switch the template module's one
        # shared context, for every thread.)
        autoescape=select_autoescape(
            enabled_extensions=(), disabled_extensions=("svg.jinja",), default=True
        ),
        undefined=StrictUndefined,
        auto_reload=settings.DEBUG,
        extensions=[TranslatedWords],
    )
    catalogue = trans_real.translation(language) if language else NullTranslations()

    def label(obj: Model, name: str, value=None) -> str:
        """The label of obj's choice (or of `value`, an item of an array of choices)."""
        value = getattr(obj, name) if value is None else value
        return _labels(language, type(obj), name).get(value, value)

    # Drawn only while `language` is on (template()); the same two days always give
    # the same words, and a network's rows share a handful of days.
    since = lru_cache(maxsize=1024)(timesince)

    env.filters.update(
        label=label,
        url=url,
        local_date=local_date,
        timesince=since,
        days_overdue=days_overdue,
        drawn=drawn,
    )
    env.globals["_"] = catalogue.gettext
    return env


def template(name: str) -> Template:
    """The template `name`, in the language that is on."""
    return environment(translation.get_language()).get_template(name)
