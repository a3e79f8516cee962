"""Every endpoint a form posts to, the person it is for, and the fields its form has
(read from the page that shows it)."""

from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from tests.security.pages import Field, Form, find_form, forms_on, url_name
from tests.sharing.test_access_matrix import (
    MATRIX,
    ROLES,
    Row,
    our_url_names,
    owner_only,
    signed_in_all,
)

# POSTs the matrix does not list but the pages make: the schedule form (the matrix only
# GETs that URL), the other kinds of plan item, and the counselor's grant settings.
EXTRA_ROWS = [
    Row("POST", "plans:schedule", [], signed_in_all(422)),
    Row("POST", "plans:item-create", ["activities"], signed_in_all(422)),
    Row("POST", "plans:item-create", ["relapse"], signed_in_all(422)),
    Row("POST", "plans:item-edit", ["activities", "activity"], owner_only(422)),
    Row("POST", "plans:item-edit", ["relapse", "relapse_item"], owner_only(422)),
    Row("POST", "sharing:grant-settings", ["counselor_grant"], owner_only(302)),
]
POST_ROWS = [row for row in MATRIX if row.method == "POST"] + EXTRA_ROWS

# Forms no page of the world shows: an invitation is answered from a page only its
# invitee sees, "undo" appears only once a source is removed, and "Start my own plan"
# only to someone without a space of their own (the world's people all keep one).
# "Start counting again?" is asked only after a slip noted since one began counting.
# None has fields.
NOT_ON_ANY_PAGE = {
    "sharing:invitation-accept",
    "sharing:invitation-decline",
    "networks:source-restore",
    "start-own-plan",
    "recovery-restart",
    # The browser subscribes from script (static/js/pwa.js), and a device's Remove and
    # the test notification show only once a device is on: the world has none.
    "push:subscribe",
    "push:remove",
    "push:test",
}


def row_id(row: Row) -> str:
    return f"{row.name} {row.args}"


def url_for(row: Row, world: dict) -> str:
    objects = world["objects"]
    return reverse(
        row.name, args=[objects.get(a, a) if isinstance(a, str) else a for a in row.args]
    )


def owner_of(row: Row) -> str:
    """The person the endpoint is for: the member, or the one grantee it lets in."""
    if row.expected["member"] != 404:
        return "member"
    inside = [r for r in ROLES if r != "anonymous" and row.expected[r] != 404]
    return inside[0] if inside else "member"  # nobody gets in (invitations): the member


def client_for(world: dict, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def _form_key(url: str) -> tuple:
    """A form's endpoint, whoever's object it acts on: the view and its words (the kind
    of plan item), without ids."""
    match = resolve(url)
    words = {k: v for k, v in match.kwargs.items() if not isinstance(v, int)}
    return match.view_name, tuple(sorted(words.items()))


# Form endpoint -> (role, page) that shows the form: read once, then reused by every
# world (the pages hold other ids each time, but the same forms).
_FORM_PAGES: dict[tuple, tuple[str, Row]] = {}


def scan(world: dict) -> list[tuple[str, Row, Form]]:
    """Every form on every page the matrix lists, as the member, counselor and supporter."""
    found = []
    for role in ("member", "counselor", "supporter"):
        client = client_for(world, role)
        for page in MATRIX:
            if page.method == "GET" and page.expected[role] == 200:
                found += [(role, page, form) for form in forms_on(client, url_for(page, world))]
    return found


def form_fields(row: Row, url: str, owner: str, world: dict) -> dict[str, Field]:
    """The fields of the form that posts to `url`, read from the page that shows it:
    the URL itself when it also answers GET (edit pages), else a page the matrix lists."""
    form = find_form(url, [(client_for(world, owner), url)])
    if form is None:
        if not _FORM_PAGES:
            for role, page, each in scan(world):
                if url_name(each.action) in our_url_names():
                    _FORM_PAGES.setdefault(_form_key(each.action), (role, page))
        if _form_key(url) in _FORM_PAGES:
            role, page = _FORM_PAGES[_form_key(url)]
            form = find_form(url, [(client_for(world, role), url_for(page, world))])
    if form is None:
        assert row.name in NOT_ON_ANY_PAGE, f"no page shows a form posting to {url}"
        return {}
    return form.fields


TYPICAL = {"date": "today", "time": "09:00", "number": "3", "email": "sam@example.org"}


def typical(field: Field) -> list[str]:
    """What a person filling the form in would most likely send for this field."""
    if field.kind == "checkbox":
        return field.options[:1]
    if field.options:
        return [next((o for o in field.options if o), "")]
    value = TYPICAL.get(field.kind, "Kind words")
    if value == "today":
        value = timezone.localdate().isoformat()
    return [field.value or value]
