import re

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import ContactLog, SupportSource
from tests.factories import SupportSourceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

VALID = {
    "name": "Maria",
    "category": "family",
    "relationship": "sister",
    "support_types": ["emotional", "practical"],
    "practical_kinds": ["daily_tasks"],
    "crisis_contact": "on",
    "closeness": "5",
    "influence": "supports",
    "boundaries_note": "",
    "phone": "+1 555 201 3344",
    "email": "maria@example.org",
    "meets_where": "",
    "meets_when": "",
    "known_for": "lifelong",
    "contact_every_days": "7",
    "notes": "",
}


def network_url() -> str:
    return reverse("networks:network")


# --- The page ---------------------------------------------------------------


def test_it_shows_an_encouraging_empty_state(signed_in):
    response = signed_in.get(network_url())
    assert response.status_code == 200
    assert b"Your map starts with you" in response.content
    assert b"Nobody here yet." in response.content


def test_it_lists_only_the_members_own_sources(signed_in, member, other_member):
    SupportSourceFactory(owner=member, name="Maria")
    SupportSourceFactory(owner=other_member, name="Someone Else")
    response = signed_in.get(network_url())
    assert b"Maria" in response.content
    assert b"Someone Else" not in response.content


def test_it_filters_by_category_and_support(signed_in, member):
    SupportSourceFactory(owner=member, name="Maria", category="family", support_types=["practical"])
    SupportSourceFactory(owner=member, name="Jess", category="friend", support_types=["emotional"])
    family = signed_in.get(network_url(), {"category": "family"})
    names = [s.name for s in family.context["sources"]]
    assert names == ["Maria"]
    emotional = signed_in.get(
        network_url(), {"support": "emotional"}, headers={**HTMX, "HX-Target": "source-list"}
    )
    assert b"Jess" in emotional.content and b"Maria" not in emotional.content
    assert b"<h1>" not in emotional.content  # the list partial alone


def test_unknown_filter_values_are_ignored_not_an_error(signed_in, member):
    SupportSourceFactory(owner=member, name="Maria")
    response = signed_in.get(network_url(), {"category": "<script>", "support": "x" * 500})
    assert response.status_code == 200
    assert [s.name for s in response.context["sources"]] == ["Maria"]


def test_the_add_form_is_drawn_when_asked_for(signed_in, member):
    """Its 17 fields are most of a long page's drawing, and most visits add nobody."""
    SupportSourceFactory(owner=member, name="Maria")
    page = signed_in.get(network_url()).content.decode()
    add_section = page.split('id="add-source"', 1)[1]
    assert 'name="category"' not in add_section
    assert f'href="{network_url()}?add=1#add-source"' in add_section
    # Without JavaScript the button's link draws the page with the form.
    asked = signed_in.get(network_url(), {"add": "1"}).content.decode()
    assert 'name="category"' in asked.split('id="add-source"', 1)[1]
    assert "autofocus" not in asked
    # htmx fetches the form alone, ready to type into.
    fetched = signed_in.get(
        network_url(), {"add": "1"}, headers={**HTMX, "HX-Target": "add-source-form"}
    ).content.decode()
    assert '<div id="add-source-form">' in fetched
    assert "<html" not in fetched and 'name="name"' in fetched and "autofocus" in fetched
    # A gap's link opens it with the kind of person to add already chosen.
    gap = signed_in.get(network_url(), {"add_category": "counselor"}).content.decode()
    assert '<option value="counselor" selected>' in gap


def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(network_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("size", [3, 60])
def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, member, size, django_assert_num_queries
):
    sources = SupportSourceFactory.create_batch(size, owner=member)
    for source in sources:
        ContactLog.objects.create(source=source, contacted_on=timezone.localdate())
    # session, user, the network: current sources with their last contact and those
    # removed within the undo window, in one query
    with django_assert_num_queries(3):
        response = signed_in.get(network_url())
    assert len(response.context["ecomap"].nodes) == size
    assert response.content.decode().count('class="node__dot"') == size


# --- Adding -----------------------------------------------------------------


def test_adding_with_htmx_returns_the_list_map_and_gaps(signed_in, member):
    response = signed_in.post(reverse("networks:source-create"), VALID, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#source-list"
    body = response.content.decode()
    source = SupportSource.objects.get(owner=member)
    list_html = body.split('<ul id="source-list"', 1)[1].split("</ul>\n", 1)[0]
    assert f'id="source-{source.pk}"' in list_html
    assert re.search(r'<section id="insights"[^>]*hx-swap-oob="true"', body)
    assert 'id="add-source-form" hx-swap-oob="true"' in body
    assert source.support_types == ["emotional", "practical"]
    assert source.practical_kinds == ["daily_tasks"]
    assert source.crisis_contact and source.contact_every_days == 7


def test_adding_with_htmx_brings_added_into_view_and_focus(signed_in, member):
    response = signed_in.post(reverse("networks:source-create"), VALID, headers=HTMX)
    body = response.content.decode()
    # At the top of the fresh add form: focused (htmx's autofocus) and scrolled to.
    form = body.split('id="add-source-form" hx-swap-oob="true"', 1)[1]
    added = re.search(r'<p id="added"([^>]*)>([^<]*)</p>', form)
    assert added[2] == "Added Maria."
    assert "autofocus" in added[1] and 'tabindex="-1"' in added[1]
    assert response["HX-Reswap"] == "outerHTML show:#added:top"
    assert 'name="name"' in form and 'value="Maria"' not in form  # ready for the next


def test_adding_without_javascript_opens_the_page_at_added(signed_in, member):
    response = signed_in.post(reverse("networks:source-create"), VALID)
    source = SupportSource.objects.get(owner=member)
    assert response.status_code == 302
    assert response.url == f"{network_url()}?added={source.pk}#added"
    body = signed_in.get(response.url).content.decode()
    add_section = body.split('<section id="add-source"', 1)[1]
    assert re.search(r'<p id="added"[^>]*>Added Maria.</p>', add_section)
    assert "autofocus" not in add_section.split('id="added"', 1)[1].split(">", 1)[0]
    assert 'name="name"' in add_section  # a fresh form, for the next person
    assert "Added Maria." not in body.split('<section id="add-source"', 1)[0]  # said once


def test_added_names_only_the_members_own_people(signed_in, other_member):
    theirs = SupportSourceFactory(owner=other_member, name="Not Yours")
    body = signed_in.get(f"{network_url()}?added={theirs.pk}").content.decode()
    assert "Not Yours" not in body and 'id="added"' not in body


def test_an_empty_add_without_javascript_reopens_at_the_errors_with_the_answers(signed_in, member):
    page = signed_in.get(f"{network_url()}?add=1").content.decode()
    assert f'action="{reverse("networks:source-create")}#add-source"' in page
    response = signed_in.post(reverse("networks:source-create"), {**VALID, "name": ""})
    assert response.status_code == 422
    body = response.content.decode()
    # The page reopens at #add-source (the form's action): heading, summary, fields.
    add_section = body.split('<section id="add-source"', 1)[1]
    assert "Please check the highlighted answers below." in add_section
    assert 'id="id_name_error"' in add_section and 'value="sister"' in add_section


def test_a_forged_owner_in_the_post_is_ignored(signed_in, member, other_member):
    signed_in.post(reverse("networks:source-create"), {**VALID, "owner": other_member.pk})
    assert SupportSource.objects.get().owner == member


def test_choosing_practical_help_implies_practical_support(signed_in, member):
    data = {**VALID, "support_types": ["emotional"], "practical_kinds": ["money_legal"]}
    signed_in.post(reverse("networks:source-create"), data)
    assert SupportSource.objects.get().support_types == ["emotional", "practical"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 121, "Ensure this value has at most 120 characters"),
        ("notes", "x" * 2001, "Ensure this value has at most 2000 characters"),
        ("category", "cousin", "Select a valid choice."),
        ("influence", "terrible", "Select a valid choice."),
        ("closeness", "9", "Select a valid choice."),
        ("support_types", ["telepathy"], "Select a valid choice."),
        ("contact_every_days", "2", "Select a valid choice."),
        ("phone", "call me maybe", "Enter a phone number"),
        ("phone", "12", "Enter a phone number"),
        ("email", "maria@", "Enter a valid email address."),
    ],
)
def test_bad_input_is_answered_beside_the_field_and_nothing_is_saved(
    signed_in, member, field, value, message
):
    data = {**VALID, field: value}
    for headers in (HTMX, {}):
        response = signed_in.post(reverse("networks:source-create"), data, headers=headers)
        assert response.status_code == 422
        body = response.content.decode()
        assert message in body
        assert f'id="id_{field}_error"' in body
        assert 'value="sister"' in body  # what was typed is kept
    assert not SupportSource.objects.exists()


# --- Editing, removing, restoring, logging a contact ------------------------


def test_editing_in_place_returns_the_row_and_updates_the_map(signed_in, member):
    source = SupportSourceFactory(owner=member, name="Maria")
    form = signed_in.get(reverse("networks:source-edit", args=[source.pk]), headers=HTMX)
    assert b"Edit Maria" in form.content and b"<h1>" not in form.content
    response = signed_in.post(
        reverse("networks:source-edit", args=[source.pk]),
        {**VALID, "name": "Maria R."},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="source-{source.pk}"' in body and "Maria R." in body
    assert 'hx-swap-oob="true"' in body
    source.refresh_from_db()
    assert source.name == "Maria R."


def test_editing_without_javascript_has_its_own_page(signed_in, member):
    source = SupportSourceFactory(owner=member, name="Maria")
    page = signed_in.get(reverse("networks:source-edit", args=[source.pk]))
    assert page.status_code == 200
    assert b"Edit Maria" in page.content and b"Back to your network" in page.content
    response = signed_in.post(
        reverse("networks:source-edit", args=[source.pk]), {**VALID, "name": "Maria R."}
    )
    assert response.status_code == 302


def test_a_bad_edit_keeps_the_saved_source(signed_in, member):
    source = SupportSourceFactory(owner=member, name="Maria")
    response = signed_in.post(
        reverse("networks:source-edit", args=[source.pk]),
        {**VALID, "name": "", "relationship": "big sister"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert b'value="big sister"' in response.content
    source.refresh_from_db()
    assert source.name == "Maria" and source.relationship == "friend"


def test_removing_can_be_undone(signed_in, member):
    source = SupportSourceFactory(owner=member, name="Maria")
    removed = signed_in.post(reverse("networks:source-delete", args=[source.pk]), headers=HTMX)
    assert b"Removed Maria." in removed.content and b"Undo" in removed.content
    page = signed_in.get(network_url())
    assert page.context["network"].sources == []
    assert [s.name for s in page.context["network"].recently_removed] == ["Maria"]

    restored = signed_in.post(reverse("networks:source-restore", args=[source.pk]), headers=HTMX)
    assert restored.status_code == 200 and b"Talked today" in restored.content
    assert [s.name for s in signed_in.get(network_url()).context["network"].sources] == ["Maria"]


def test_logging_a_contact_once_a_day(signed_in, member):
    source = SupportSourceFactory(owner=member, name="Maria")
    url = reverse("networks:source-contact", args=[source.pk])
    first = signed_in.post(url, headers=HTMX)
    assert b"In touch today." in first.content
    signed_in.post(url, headers=HTMX)
    assert ContactLog.objects.filter(source=source).count() == 1
    assert ContactLog.objects.get().contacted_on == member.local_today()


@pytest.mark.parametrize("size", [3, 60])
def test_each_partial_runs_a_fixed_number_of_queries(
    signed_in, member, size, django_assert_num_queries
):
    sources = SupportSourceFactory.create_batch(size, owner=member)
    pk = sources[0].pk
    edit = {**VALID, "name": "Renamed"}
    expected = [
        # method, url name, data, queries
        ("get", "networks:source-row", None, 3),
        ("get", "networks:source-edit", None, 3),
        ("post", "networks:source-edit", edit, 5),
        ("post", "networks:source-contact", None, 8),
        ("post", "networks:source-delete", None, 5),
        ("post", "networks:source-restore", None, 5),
    ]
    for method, name, data, queries in expected:
        with django_assert_num_queries(queries):
            getattr(signed_in, method)(reverse(name, args=[pk]), data, headers=HTMX)
    with django_assert_num_queries(4):
        signed_in.post(reverse("networks:source-create"), VALID, headers=HTMX)


# --- Other people's sources -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "networks:source-row"),
        ("get", "networks:source-edit"),
        ("post", "networks:source-edit"),
        ("post", "networks:source-delete"),
        ("post", "networks:source-restore"),
        ("post", "networks:source-contact"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_another_members_source_is_404_from_every_url(signed_in, other_member, method, name, htmx):
    theirs = SupportSourceFactory(owner=other_member, name="Their Sister")
    response = getattr(signed_in, method)(
        reverse(name, args=[theirs.pk]),
        VALID if method == "post" else None,
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Their Sister" and theirs.deleted_at is None
    assert not ContactLog.objects.exists()


def test_need_help_lists_the_members_crisis_contacts_above_the_national_lines(signed_in, member):
    SupportSourceFactory(owner=member, name="Ray", crisis_contact=True, phone="+1 555 303 1200")
    SupportSourceFactory(
        owner=member, name="Tony", crisis_contact=True, influence="risk", phone="+1 555 000 0000"
    )
    body = signed_in.get(reverse("need_help")).content.decode()
    assert 'href="tel:+1 555 303 1200"' in body
    assert body.index("Call Ray") < body.index("Call 988")
    assert "Tony" not in body
