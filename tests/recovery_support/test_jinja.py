"""The rows drawn by Jinja2 (recovery_support/jinja.py): escaped, in the reader's
language, and loud about a typing mistake."""

import pytest
from django.urls import reverse
from django.utils import timezone
from jinja2 import UndefinedError

from networks.models import ContactLog
from recovery_support.jinja import draw, environment
from tests.factories import SupportSourceFactory

HOSTILE = "<img src=x onerror=alert(1)>\"Sam' & co"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&#34;Sam&#39; &amp; co"


def test_a_hostile_name_is_escaped_in_every_place_a_row_says_it(signed_in, member):
    source = SupportSourceFactory(owner=member, name=HOSTILE, phone="555 0100")
    page = signed_in.get(reverse("networks:network")).content.decode()
    assert "<img src=x" not in page
    # The heading, "About …" on the tags, "Call …", "with …", "Edit …",
    # "Remove …", and the map's table.
    assert page.count(ESCAPED) >= 7

    signed_in.post(reverse("networks:source-delete", args=[source.pk]))
    page = signed_in.get(reverse("networks:network")).content.decode()
    assert "<img src=x" not in page
    assert f"Removed {ESCAPED}." in page


def test_rows_are_in_the_readers_language_from_one_request_to_the_next(signed_in, member):
    SupportSourceFactory(
        owner=member, category="family", support_types=["emotional", "relapse_prevention"]
    )
    for language, words in [
        ("es", ["Familia", "Emocional", "Prevención de recaídas", "Hablé hoy", "Sobre "]),
        ("en", ["Family", "Emotional", "Relapse prevention", "Talked today", "About "]),
        ("es", ["Familia", "Emocional", "Prevención de recaídas", "Hablé hoy", "Sobre "]),
    ]:
        member.language = language
        member.save(update_fields=["language"])
        response = signed_in.get(reverse("networks:network"))
        page = response.content.decode()
        row = page[page.index('id="source-list"') : page.index('id="source-actions"')]
        for word in words:
            assert word in row, (language, word)


def test_a_row_says_when_the_person_was_last_in_touch(signed_in, member):
    source = SupportSourceFactory(owner=member, contact_every_days=7)
    today = member.local_today()
    ContactLog.objects.create(source=source, contacted_on=today - timezone.timedelta(days=10))
    page = signed_in.get(reverse("networks:network")).content.decode()
    assert "Last in touch 1\xa0week, 3\xa0days ago." in page
    assert "You planned to be in touch every week." in page
    # The same days, then in Spanish: each language keeps its own words for them.
    member.language = "es"
    member.save(update_fields=["language"])
    page = signed_in.get(reverse("networks:network")).content.decode()
    assert "Último contacto hace 1\xa0semana, 3\xa0días." in page


def test_a_mistyped_name_fails_loudly_instead_of_drawing_nothing():
    with pytest.raises(UndefinedError):
        environment("en").from_string("{{ source.nmae }}").render(source=object())


def test_fixed_words_are_translated_once_as_the_template_compiles_other_calls_as_drawn():
    template = environment("es").from_string(
        '{{ _("Family") }}|{{ _(word) }}|{{ _("About %(name)s")|format(name=name) }}'
    )
    assert template.render(word="Friend", name="<b>") == "Familia|Amistad|Sobre &lt;b&gt;"
    assert environment("en").from_string('{{ _("Family") }}').render() == "Family"


def test_the_urls_a_drawing_fills_in_are_djangos_own():
    class Item:
        def __init__(self, pk):
            self.pk = pk

        def __str__(self):
            return f"item {self.pk}"

    for kind, pk in [("goals", 7), ("relapse", 7), ("goals", 123456)]:
        drawn = draw("plans/step4.jinja", "item_actions", kind, Item(pk))
        assert f'href="{reverse("plans:item-edit", args=[kind, pk])}"' in drawn
        assert f'hx-post="{reverse("plans:item-delete", args=[kind, pk])}"' in drawn


def test_changing_the_catalogues_gives_environments_anew(settings):
    before = environment("es")
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    assert environment("es") is not before
