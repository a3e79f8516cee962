"""Hostile input to every form and HTMX endpoint, as each standing person: overlong and
odd unicode text, wrong types, lists for single values, missing and extra fields, and
other people's ids. Nothing may answer 5xx, nobody's data but the requester's own may
change (beyond what a counselor or supporter is there to write), and an owner's
rejected post answers 422 with the error shown and loses nothing saved."""

import os
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.forms import CheckboxInput
from django.test import Client
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sharing.models import Grant
from tests.security.endpoints import (
    POST_ROWS,
    client_for,
    form_fields,
    owner_of,
    row_id,
    scan,
    typical,
    url_for,
)
from tests.security.pages import Field, url_name
from tests.security.snapshots import allowed_for_grantee, changes, references, snapshot
from tests.sharing.test_access_matrix import ROLES, Row, our_url_names

# Per row, two posts each (the owner, someone else). HOSTILE_EXAMPLES=200 for a longer hunt.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))

# Rows that merely opening their page creates, empty.
OPENED_BY_VISITING = {"plans.Plan", "plans.CheckInSchedule"}

# Names a form never offers, each a way to reach past it: mass assignment of the owner,
# the status, the plan, or someone's account flags.
EXTRA_NAMES = [
    "owner",
    "owner_id",
    "member",
    "member_id",
    "plan",
    "plan_id",
    "user",
    "author",
    "grantee",
    "grant",
    "id",
    "pk",
    "status",
    "role",
    "source",
    "contact",
    "sources",
    "triggers",
    "supports_contacted",
    "step",
    "kind",
    "is_professional",
    "has_own_space",
    "ended_by_grantee",
    "is_staff",
    "is_superuser",
    "revoked_at",
    "deleted_at",
    "token_hash",
    "email",
    "password",
    "next",
]

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u200b",  # zero-width space
    "\u200f\u202eevil",  # right-to-left mark and override
    "\ufeff",
    "e\u0301\u0301\u0301\u0301",  # stacked combining marks
    "👩‍👩‍👧‍👦🏳️‍🌈",  # zero-width joiner sequences
    "\r\n\t",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.password }}{% debug %}",
    "' OR 1=1 --",
    "%s%n%x",
    "../../etc/passwd",
    "true",
    "on",
    "null",
    "NaN",
    "-Infinity",
    "1e309",
    "-0",
    "0x10",
    "١٢",  # Arabic-Indic digits
    "³",
    "3.5",
    " 3 ",
    "99999999999999999999999",
    "-1",
    "0",
    "5",
    "2147483648",
    "9223372036854775808",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1900-01-01",
    "24:00",
    "25:61",
    "9:00 pm",
    "not-an-email",
    "a@b",
    "x@" + "e" * 300 + ".org",
]
RAW_BYTES = [b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"\xc0\xaf", b"%"]  # not UTF-8
REPEATED = ["a", "é", "😀", "\u200f", "e\u0301", "<", "1"]
LENGTHS = [81, 256, 281, 501, 1001, 2001, 5001, 100_000]
HUGE = "x" * 2_700_000  # over Django's 2.5 MB for a request's fields
MANY_FIELDS = {f"field{n}": ["1"] for n in range(1001)}  # over Django's 1000 fields


@dataclass
class Target:
    row: Row
    url: str
    owner: str  # the role whose own data (or grant) this endpoint acts on
    others: list[str]
    fields: dict[str, Field]
    ids: list[str]  # the other member's object ids, then the member's own


@pytest.fixture
def target(row, world) -> Target:
    url = url_for(row, world)
    owner = owner_of(row)
    others = world["others"]
    hostile_ids = [str(pk) for pk in others.values()]
    hostile_ids.append(str(world["people"]["other_member"].pk))
    own_ids = [str(v) for v in world["objects"].values() if isinstance(v, int)]
    return Target(
        row=row,
        url=url,
        owner=owner,
        others=[r for r in ROLES if r != owner],
        fields=form_fields(row, url, owner, world),
        ids=hostile_ids + own_ids,
    )


# --- What gets posted ------------------------------------------------------------


def _scalars(ids: list[str]) -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(ids),  # other people's ids first: shrinking ends on one
        st.sampled_from(NASTY),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
        st.builds(lambda s, n: s * n, st.sampled_from(REPEATED), st.sampled_from(LENGTHS)),
        st.sampled_from(RAW_BYTES),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(str),
    )


def _hostile(ids: list[str]) -> st.SearchStrategy:
    """A value for a field: one odd scalar, or several where one is expected."""
    scalar = _scalars(ids)
    return st.one_of(scalar.map(lambda v: [v]), st.lists(scalar, min_size=2, max_size=4))


def _legal(field: Field) -> st.SearchStrategy:
    """What a person filling the form in could send."""
    if field.multiple:
        return st.lists(st.sampled_from(field.options), unique=True)
    if field.kind == "checkbox":
        return st.sampled_from([[], field.options[:1]])
    if field.options:
        return st.sampled_from(field.options).map(lambda v: [v])
    return st.just(typical(field))


@st.composite
def _post_data(draw, target: Target) -> dict[str, list]:
    """The form filled in with a few fields hostile or left out; or every field hostile;
    or nothing at all. Extra fields, other people's ids among them, on top."""
    names = sorted(target.fields)
    shape = draw(st.sampled_from(["a few", "every field", "nothing"]), label="hostile")
    hostile, missing = set(), set()
    if shape == "a few" and names:
        hostile = draw(st.sets(st.sampled_from(names), max_size=3), label="hostile fields")
        missing = draw(st.sets(st.sampled_from(names)), label="missing fields")
    elif shape == "every field":
        hostile = set(names)
    elif shape == "nothing":
        missing = set(names)
    data = {}
    for name in names:
        if name not in missing:
            strategy = _hostile(target.ids) if name in hostile else _legal(target.fields[name])
            data[name] = draw(strategy, label=name)
    extra = draw(
        st.dictionaries(st.sampled_from(EXTRA_NAMES), _hostile(target.ids), max_size=3),
        label="extra fields",
    )
    oversize = draw(st.integers(0, 24), label="oversize")  # rare: Django refuses them early
    if oversize == 23:
        extra |= MANY_FIELDS
    elif oversize == 24:
        extra["notes"] = [HUGE]
    return {name: value for name, value in {**extra, **data}.items() if value}


TEXT_KINDS = {"text", "textarea", "email", "tel", "password", "search", "url"}


def _must_be_rejected(target: Target, data: dict[str, list]) -> str | None:
    """Why this post cannot be valid, when one of its text fields says so: a NUL
    character, or more characters than the field allows (Django reads the last value)."""
    for name, values in data.items():
        field = target.fields.get(name)
        last = values[-1]
        if field is None or field.kind not in TEXT_KINDS or not isinstance(last, str):
            continue
        if "\x00" in last:
            return f"a NUL character in {name}"
        if field.maxlength and len(last.strip()) > field.maxlength:
            return f"{len(last.strip())} characters in {name} (at most {field.maxlength})"
    return None


def _post(client: Client, url: str, data: dict[str, list], *, htmx: bool, multipart: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    if multipart:
        return client.post(url, data, headers=headers)
    body = urlencode([(name, v) for name, values in data.items() for v in values])
    return client.post(url, body, content_type="application/x-www-form-urlencoded", headers=headers)


# --- The test --------------------------------------------------------------------


@dataclass
class Scene:
    """What every example starts from (each runs in a transaction rolled back after it):
    a signed-in client per role, and each member's rows before anything is posted."""

    clients: dict[str, Client]
    before: dict  # user -> snapshot
    grants: dict  # (user, role) -> whether the role holds a live grant from the user


@pytest.fixture
def scene(world, target) -> Scene:  # after target, whose page reads sign people in too
    people = world["people"]
    clients = {role: client_for(world, role) for role in ROLES}  # signing in sets last_login
    members = (people["member"], people["other_member"])
    grants = {
        (person, role): Grant.objects.active().filter(member=person, grantee=people[role]).exists()
        for person in members
        for role in people
    }
    return Scene(clients, {person: snapshot(person) for person in members}, grants)


@pytest.mark.parametrize("row", POST_ROWS, ids=row_id)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_hostile_posts_never_fail_and_touch_only_the_requesters_data(
    row, world, target, scene, data
):
    """Each example posts the same data as the owner and as someone else."""
    someone_else = data.draw(st.sampled_from(target.others), label="someone else")
    fields = data.draw(_post_data(target), label="fields")
    htmx = data.draw(st.booleans(), label="htmx")
    multipart = data.draw(st.booleans(), label="multipart")
    for role in (target.owner, someone_else):
        client = scene.clients[role]
        for name in list(client.cookies):  # messages left by an earlier example
            if name != django_settings.SESSION_COOKIE_NAME:
                del client.cookies[name]
        with transaction.atomic():  # every post starts from the same world
            response = _post(client, target.url, fields, htmx=htmx, multipart=multipart)
            after = {person: snapshot(person) for person in scene.before}
            transaction.set_rollback(True)
        _check(row, target, scene, world["people"].get(role), role, fields, response, after)


def _check(row, target, scene, requester, role, fields, response, after) -> None:
    status = response.status_code
    event(f"{'owner' if role == target.owner else 'someone else'}: {status}")
    assert status < 500, response.content[:2000]
    if role != target.owner and (role == "anonymous" or row.expected[role] == 404):
        assert status == row.expected[role], f"hostile data let {role} in"
    reason = _must_be_rejected(target, fields)
    if reason and role != "anonymous" and row.expected[role] != 404:
        event(f"cannot be valid: {status}")
        assert status in (400, 422), f"{role}'s post accepted with {reason}"
    if status == 422:
        # The answer to fix is highlighted; a value in a field the page does not show
        # (a source ticked by someone with none) gets the form's alert alone.
        assert b'class="errorlist' in response.content or b'class="form-errors" role="alert"' in (
            response.content
        ), "a 422 says what to fix"

    for person, before in scene.before.items():
        changed = changes(before, after[person])
        if person == requester:
            # Their own data may change, but a rejected post saves and loses nothing
            # (beyond the empty plan or schedule that opening the page starts).
            kept = [
                c
                for c in changed
                if not (c[0][0] in OPENED_BY_VISITING and not c[1])
                and not (_asks_for_help(row, fields) and _help_call_added(c))
            ]
            assert status != 422 or not kept, kept
            continue
        not_theirs = [
            change
            for change in changed
            if not (
                scene.grants.get((person, role))
                and allowed_for_grantee(change, requester.pk)
                and (status != 422 or change[0][0] in ("sharing.AccessRecord", "sharing.Grant"))
            )
        ]
        assert not not_theirs, f"{role} changed {person}'s data"
    member, other_member = after.values()
    assert not references(member, other_member), "points at someone else's"
    assert not references(other_member, member), "points at someone else's"


def _asks_for_help(row, fields) -> bool:
    """Whether a check-in post ticks "I need help now" (read as the form's box reads it)."""
    data = MultiValueDict({k: list(v) for k, v in fields.items()})
    return row.name == "plans:checkin" and CheckboxInput().value_from_datadict(
        data, {}, "needed_help"
    )


def _help_call_added(change) -> bool:
    """Asking for help is never refused: a check-in that asks saves the request for help
    first, even when another answer needs fixing (a 422)."""
    (label, _), before, after = change
    return label == "plans.HelpCall" and not before and bool(after)


def test_every_form_on_our_pages_is_fuzzed(world):
    """A new form (or a new endpoint behind one) fails here until it has a row above."""
    seen = {url_name(form.action) for _, _, form in scan(world)}
    ours = seen & our_url_names()  # not allauth's sign-out
    assert ours - {row.name for row in POST_ROWS} == set()
    assert len(ours) > 15, ours
