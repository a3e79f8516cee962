"""{% load i18n %} is our library: each kind of {% translate %} draws what Django's
draws, in each language, switching languages on the same template, escaped or not."""

import pytest
from django.template import Context, Engine
from django.utils import translation

TEMPLATE = (
    "{% translate 'Your support network' %}|"
    "{% translate 'Nothing' context 'how reminders reach you' %}|"
    "{% translate 'Save' as saved %}{{ saved }}|"
    "{% translate '100%% yours' %}|"
    "{% translate 'Save' noop %}|"
    "{% translate word %}|"
    "{% translate 'Save'|upper %}|"
    "{% translate 'a <b>' %}|"
    "{% for person in people %}{% translate 'Remove' %} {{ person }};{% endfor %}|"
    "{% blocktranslate count counter=people|length %}{{ counter }} person{% plural %}"
    "{{ counter }} people{% endblocktranslate %}|"
    "{% for person in people %}{% blocktranslate trimmed with name=person %}\n  Remove\n"
    "  {{ name }}{% endblocktranslate %};{% endfor %}|"
    "{% blocktranslate trimmed count counter=people|length with name=word %}{{ name }}: "
    "{{ counter }} person{% plural %}{{ name }}: {{ counter }} people{% endblocktranslate %}|"
    "{% for person in people %}{% blocktranslate trimmed %}\n  Your support\n  network"
    "{% endblocktranslate %};{% endfor %}|"
    "{% blocktranslate %}100% yours{% endblocktranslate %}|"
    "{% blocktranslate context 'how reminders reach you' %}Nothing{% endblocktranslate %}|"
    "{% blocktranslate asvar kept %}Save{% endblocktranslate %}{{ kept }}|"
    "{% for person in people %}{% blocktranslate %}Remove {{ person }}{% endblocktranslate %};"
    "{% endfor %}"
)


def _engine(ours: bool) -> Engine:
    library = "recovery_support.templatetags.fast_i18n" if ours else "django.templatetags.i18n"
    return Engine(libraries={"i18n": library})


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_each_kind_of_translate_draws_as_djangos(language, autoescape):
    context = {"word": "Save", "people": ["Ana", "<Sam>"]}
    drawn = {}
    for ours in (True, False):
        template = _engine(ours).from_string("{% load i18n %}" + TEMPLATE)
        with translation.override(language):
            drawn[ours] = [
                template.render(Context(context, autoescape=autoescape)) for _ in range(2)
            ]
    assert drawn[True] == drawn[False]
    assert drawn[True][0] == drawn[True][1]


def test_one_template_follows_the_language_of_each_render():
    template = _engine(True).from_string("{% load i18n %}{% translate 'Your support network' %}")
    with translation.override("es"):
        assert template.render(Context()) == "Tu red de apoyo"
    with translation.override("en"):
        assert template.render(Context()) == "Your support network"
    with translation.override("es"):
        assert template.render(Context()) == "Tu red de apoyo"


def test_words_alone_in_blocktranslate_follow_the_language_of_each_render():
    template = _engine(True).from_string(
        "{% load i18n %}{% blocktranslate trimmed %}\n  Your support\n  network\n"
        "{% endblocktranslate %}"
    )
    for language, words in [("es", "Tu red de apoyo"), ("en", "Your support network")] * 2:
        with translation.override(language):
            assert template.render(Context()) == words


def test_the_project_loads_our_library_as_i18n():
    from django.template import engines

    from recovery_support.templatetags import fast_i18n

    template = engines["django"].from_string(
        "{% load i18n %}{% translate 'Save' %}{% blocktranslate %}Save{% endblocktranslate %}"
    )
    kinds = [type(node) for node in template.template.nodelist[-2:]]
    assert kinds == [fast_i18n.TranslateNode, fast_i18n.BlockTranslateNode]


def test_no_other_template_library_name_is_used_twice():
    """templates.W003 is silenced for "i18n", which is ours on purpose: any other name
    used by two libraries is still found."""
    from django.template import engines

    engine = engines["django"]
    warnings = engine._check_for_template_tags_with_the_same_name()
    assert [w.msg.split()[0] for w in warnings] == ["'i18n'"]
