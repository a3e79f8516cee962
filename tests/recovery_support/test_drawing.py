"""Drawing pages cheaply, and exactly as before: Django's widget templates drawn in
Python (recovery_support/widgets.py) and each URL pattern reversed once
(recovery_support/templatetags/fast_url.py). Each is checked against Django's own
output, hostile text included, and the pages are checked to use them: the work a
page does to draw stays the same whatever the size of the data, like its queries."""

import re
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.urls.resolvers import URLResolver
from django.utils.safestring import mark_safe

from networks.forms import SupportSourceForm
from plans.checkin_forms import CheckInForm
from plans.forms import ActivityForm, GoalForm, RelapseItemForm
from plans.models import Plan, PlanSource, RelapseItem
from recovery_support.forms import FormRenderer
from recovery_support.templatetags.fast_url import fast_reverse
from tests.factories import SupportSourceFactory
from tests.plans.test_plan_queries import build


class WithTemplates(FormRenderer):
    """Our renderer with every template drawn by Django, as before."""

    def render(self, template_name, context, request=None):
        return TemplatesSetting.render(self, template_name, context, request)


HOSTILE = "<script>alert('x')</script> & \"quotes\""
CHOICES = [("", "---------"), ("a", HOSTILE), ("b&c", "B & C"), ("safe", mark_safe("<b>safe</b>"))]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]
WIDGETS = [
    (forms.TextInput(), "text"),
    (forms.TextInput(attrs={"required": True, "disabled": False, "data-x": HOSTILE}), HOSTILE),
    (forms.TextInput(), None),
    (forms.TextInput(), mark_safe("<i>kept</i>")),
    (forms.EmailInput(), "a@example.org"),
    (forms.NumberInput(attrs={"min": 0, "max": 100}), 42),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.HiddenInput(), "hidden"),
    (forms.DateInput(attrs={"type": "date"}), "2026-01-02"),
    (forms.TimeInput(attrs={"type": "time"}), "09:30"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 4}), HOSTILE),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), "b&c"),
    (forms.Select(choices=GROUPED), "y"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "safe"]),
    (forms.RadioSelect(choices=CHOICES, attrs={"class": "scale"}), "a"),
    (forms.RadioSelect(choices=GROUPED), "z"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["b&c"]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), ["x", "z"]),
    (forms.CheckboxSelectMultiple(choices=[]), []),
]


@pytest.mark.parametrize("widget, value", WIDGETS)
@pytest.mark.parametrize("attrs", [None, {"id": "id_f<1>", "aria-describedby": "f_help"}])
def test_widgets_draw_exactly_as_djangos_templates(widget, value, attrs):
    with_templates = widget.render("field", value, attrs=attrs, renderer=TemplatesSetting())
    in_python = widget.render("field", value, attrs=attrs, renderer=FormRenderer())
    assert in_python == with_templates
    if value == HOSTILE:
        assert "<script>" not in in_python


@pytest.mark.django_db
def test_our_forms_draw_exactly_as_with_djangos_templates(member):
    plan = Plan.objects.create(owner=member)
    source = SupportSourceFactory(owner=member, name=HOSTILE)
    RelapseItem.objects.create(plan=plan, kind="trigger", description=HOSTILE, coping="Walk")
    data = {"name": HOSTILE, "support_types": ["emotional"], "mood": "4", "title": ""}
    for form_class, kwargs in [
        (SupportSourceForm, {}),
        (CheckInForm, {"owner": member}),
        (RelapseItemForm, {"owner": member}),
        (ActivityForm, {}),
        (GoalForm, {}),
    ]:
        for bound in (None, data):
            with_templates = form_class(bound, renderer=WithTemplates(), **kwargs)
            in_python = form_class(bound, renderer=FormRenderer(), **kwargs)
            assert in_python.as_div() == with_templates.as_div(), form_class
    assert source.name not in SupportSourceForm(data).as_div()  # escaped, not raw


def test_the_url_tag_gives_what_reverse_gives(rf):
    cases = [
        ("networks:source-edit", [5]),
        ("networks:source-edit", [12345678901]),
        ("networks:source-edit", [0]),
        ("plans:item-edit", ["goals", 7]),
        ("plans:item-edit", ["activities", 7]),
        ("plans:step", [4]),
        ("networks:network", []),
        ("sharing:invitation-open", ["a-token_1"]),
    ]
    for _ in range(2):  # the first call learns the pattern, the second fills it in
        for name, args in cases:
            assert fast_reverse(name, args) == reverse(name, args=args)
    # What the fast path does not take goes to Django, errors included.
    with pytest.raises(NoReverseMatch):
        fast_reverse("networks:source-edit", [-1])
    with pytest.raises(NoReverseMatch):
        fast_reverse("networks:source-edit", ["not-a-number"])
    assert fast_reverse("sharing:invitation-open", ["a b"]) == reverse(
        "sharing:invitation-open", args=["a b"]
    )
    template = Template(
        "{% url 'networks:source-edit' pk %}|{% url 'networks:source-edit' pk=pk %}"
        "|{% url 'nowhere' as missing %}{{ missing }}|{% url 'plans:step' 2 as step %}{{ step }}"
    )
    drawn = template.render(Context({"pk": 3}))
    assert drawn == "/network/sources/3/edit/|/network/sources/3/edit/||/plan/step/2/"


def _count_reversals():
    """Counts the resolver's own reversals, whoever asks for them."""
    original = URLResolver._reverse_with_prefix
    calls = []

    def counted(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    return calls, mock.patch.object(URLResolver, "_reverse_with_prefix", counted)


@pytest.mark.django_db
def test_the_network_page_draws_with_the_same_work_at_any_size(signed_in, member):
    """Reversals and widget templates per page do not grow with the rows."""
    SupportSourceFactory(owner=member)
    signed_in.get(reverse("networks:network"))  # patterns learnt, templates loaded
    work = []
    for size in (3, 60):
        SupportSourceFactory.create_batch(size - member.support_sources.count(), owner=member)
        calls, patch = _count_reversals()
        with patch:
            response = signed_in.get(reverse("networks:network"))
        assert response.content.decode().count('class="source ') == size
        widget_templates = [
            t.name for t in response.templates if t.name.startswith("django/forms/widgets/")
        ]
        work.append((len(calls), widget_templates))
    assert work[0] == work[1]
    assert work[1][1] == []  # no widget template drawn: recovery_support/widgets.py did


@pytest.mark.django_db
def test_the_check_in_page_draws_no_widget_template(signed_in, member):
    plan = Plan.objects.create(owner=member)
    RelapseItem.objects.create(plan=plan, kind="trigger", description="Payday", coping="Walk")
    SupportSourceFactory.create_batch(5, owner=member)
    response = signed_in.get(reverse("plans:checkin"))
    assert response.status_code == 200
    assert not [t.name for t in response.templates if "forms/widgets" in t.name]


def _drawn(client, url: str) -> str:
    """The page, without what differs between any two requests (tokens, nonces)."""
    html = client.get(url).content.decode()
    for before in ('csrfmiddlewaretoken" value="', 'nonce="', '"x-csrftoken": "'):
        html = re.sub(f'({re.escape(before)})[^"]+', r"\1", html)
    return html


@pytest.mark.django_db
def test_the_pages_full_of_forms_draw_exactly_as_with_djangos_templates(
    signed_in, member, settings
):
    """Every field of these pages is drawn in Python (templates/forms/field.html
    included): the same HTML as Django's templates give."""
    build(member, "small")
    Plan.objects.filter(owner=member).update(status="draft")
    # Steps 2 and 3 with a folded card opened (?edit=), so that its form is drawn too.
    agreed = PlanSource.objects.filter(plan__owner=member, outcome="agreed").first()
    pages = [reverse("plans:step", args=[1]), reverse("plans:step", args=[4])]
    pages += [f"{reverse('plans:step', args=[n])}?edit={agreed.pk}" for n in (2, 3)]
    pages += [reverse("networks:network") + "?add=1", reverse("plans:checkin")]
    pages += [reverse("sharing:sharing"), reverse("account-details")]
    drawn = {}
    for renderer in (
        "recovery_support.forms.FormRenderer",
        "tests.recovery_support.test_drawing.WithTemplates",
    ):
        settings.FORM_RENDERER = renderer
        get_default_renderer.cache_clear()
        drawn[renderer] = [_drawn(signed_in, url) for url in pages]
    get_default_renderer.cache_clear()
    for url, in_python, with_templates in zip(pages, *drawn.values(), strict=True):
        assert 'class="field"' in in_python, url
        assert in_python == with_templates, url
