"""Who may reach what: every URL pattern of the project, requested as each standing
person, gets exactly the status written here. A URL added without a row here fails
`test_every_url_pattern_has_an_expectation`."""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sharing.models import AccessRecord
from tests.world import build_world

ROLES = [
    "anonymous",
    "other_member",
    "counselor_without_grant",
    "counselor_after_revocation",
    "counselor_after_end_date",
    "other_members_supporter",
    "supporter",
    "counselor",
    "member",  # last: the owner's own writes may change what the others would see
]
NOT_OURS = ("accounts/", "admin/")  # allauth and the admin, tested in their own files


@dataclass
class Row:
    method: str
    name: str
    args: list = field(default_factory=list)  # names of objects in the world, or values
    expected: dict = field(default_factory=dict)


def signed_in_all(status: int, anonymous: int = 302) -> dict:
    """A page of one's own space: every signed-in person gets their own."""
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


def owner_only(status: int) -> dict:
    """Acts on one of the member's own objects: everyone else gets 404."""
    return {role: 302 if role == "anonymous" else 404 for role in ROLES} | {"member": status}


def grantee_only(role: str, status: int) -> dict:
    return {r: 302 if r == "anonymous" else 404 for r in ROLES} | {role: status}


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


MATRIX = [
    Row("GET", "home", [], signed_in_all(302, anonymous=200)),
    Row("GET", "dashboard", [], signed_in_all(200)),
    Row("POST", "start-own-plan", [], signed_in_all(302)),
    # Their own account and day count: nothing asked is nothing to save.
    Row("GET", "account-details", [], signed_in_all(200)),
    Row("POST", "account-details", [], signed_in_all(302)),
    Row("POST", "recovery-start", [], signed_in_all(422)),
    Row("POST", "recovery-restart", [], signed_in_all(422)),
    Row("GET", "need_help", [], everyone(200)),
    Row("POST", "help-ask", [], signed_in_all(302)),  # their own help call, then its page
    Row("GET", "help-slip", [], signed_in_all(200)),
    Row("GET", "web-manifest", [], everyone(200)),
    Row("GET", "service-worker", [], everyone(200)),
    Row("GET", "offline", [], everyone(200)),
    Row("GET", "crisis-card", [], signed_in_all(200)),  # each person's own
    Row("POST", "account_logout", [], everyone(302)),
    # The footer's language: nothing chosen is refused, signed in or not.
    Row("POST", "set-language", [], everyone(400)),
    Row("GET", "push:devices", [], signed_in_all(200)),
    Row("POST", "push:subscribe", [], signed_in_all(422)),  # nothing posted
    Row("POST", "push:remove", [0], signed_in_all(404)),  # someone else's: tests/push
    Row("POST", "push:test", [], signed_in_all(302)),
    Row("POST", "push:choices", [], signed_in_all(302)),  # nothing chosen: as never chosen
    Row("POST", "help-slip", [], signed_in_all(302)),  # nothing ticked: noted, nobody told
    Row("GET", "help-asked", ["help_call"], owner_only(200)),
    Row("GET", "healthz", [], everyone(200)),
    # The network
    Row("GET", "networks:network", [], signed_in_all(200)),
    Row("POST", "networks:source-create", [], signed_in_all(422)),
    Row("GET", "networks:source-row", ["source"], owner_only(302)),  # a partial: the page
    Row("GET", "networks:source-edit", ["source"], owner_only(200)),
    Row("POST", "networks:source-edit", ["source"], owner_only(422)),
    Row("POST", "networks:source-contact", ["source"], owner_only(302)),
    Row("POST", "networks:source-delete", ["source"], owner_only(302)),
    Row("POST", "networks:source-restore", ["source"], owner_only(302)),
    # The plan
    Row("GET", "plans:home", [], signed_in_all(302)),
    *(Row("GET", "plans:step", [n], signed_in_all(200)) for n in (1, 2, 3, 4)),
    Row("POST", "plans:step", [1], signed_in_all(422)),
    Row("POST", "plans:add-source", [], signed_in_all(422)),
    Row("POST", "plans:ask", ["plan_source"], owner_only(422)),
    Row("POST", "plans:expectations", ["plan_source"], owner_only(302)),
    Row("POST", "plans:cadence", ["plan_source"], owner_only(302)),
    Row("POST", "plans:first-day", [], signed_in_all(302)),
    Row("POST", "plans:item-create", ["goals"], signed_in_all(422)),
    Row("GET", "plans:item-edit", ["relapse", "relapse_item"], owner_only(200)),
    Row("POST", "plans:item-edit", ["goals", "goal"], owner_only(422)),
    Row("POST", "plans:item-delete", ["activities", "activity"], owner_only(302)),
    Row("POST", "plans:activate", [], signed_in_all(302)),
    Row("GET", "plans:print", [], signed_in_all(200)),
    Row("GET", "plans:changes", [], signed_in_all(200)),
    Row("GET", "plans:checkin", [], signed_in_all(200)),
    Row("POST", "plans:checkin", [], signed_in_all(422)),
    Row("GET", "plans:history", [], signed_in_all(200)),
    Row("GET", "plans:schedule", [], signed_in_all(200)),
    Row(
        "GET",
        "plans:reminder-link",
        ["reminder_token"],
        {r: 403 for r in ROLES} | {"anonymous": 302, "member": 302},
    ),
    # Sharing, the member's side
    Row("GET", "sharing:sharing", [], signed_in_all(200)),
    Row("POST", "sharing:invite", [], signed_in_all(422)),
    Row("POST", "sharing:invitation-cancel", ["invitation"], owner_only(302)),
    Row("POST", "sharing:grant-settings", ["supporter_grant"], owner_only(302)),
    Row("POST", "sharing:grant-revoke", ["counselor_grant"], owner_only(302)),
    Row("GET", "sharing:grant-preview", ["counselor_grant"], owner_only(200)),
    Row("GET", "sharing:grant-preview", ["supporter_grant"], owner_only(200)),
    Row("POST", "sharing:message-reply", ["encouragement"], owner_only(422)),  # nothing typed
    Row("GET", "sharing:access-log", [], signed_in_all(200)),
    Row("POST", "sharing:comment-answer", ["comment"], owner_only(422)),
    # Notes from counselors: everyone's own (nothing ticked is nothing to mark read)
    Row("GET", "sharing:notes", [], signed_in_all(200)),
    Row("POST", "sharing:notes-read", [], signed_in_all(302)),
    # Invitations, the invitee's side (nobody here holds one in their session)
    Row("GET", "sharing:invitation", [], everyone(404)),
    Row("POST", "sharing:invitation-accept", [], signed_in_all(404)),
    Row("POST", "sharing:invitation-decline", [], signed_in_all(404)),
    Row("GET", "sharing:invitation-open", ["made_up_token"], everyone(404)),
    # Counselors and supporters
    Row(
        "GET",
        "sharing:clients",
        [],
        signed_in_all(404)
        | dict.fromkeys(
            [
                "counselor",
                "counselor_without_grant",
                "counselor_after_revocation",
                "counselor_after_end_date",
            ],
            200,
        ),
    ),
    Row("GET", "sharing:client", ["member"], grantee_only("counselor", 200)),
    Row("POST", "sharing:comment-add", ["member"], grantee_only("counselor", 422)),
    Row("POST", "sharing:comment-reply", ["member", "comment"], grantee_only("counselor", 422)),
    Row("POST", "sharing:review", ["member"], grantee_only("counselor", 422)),
    Row("GET", "sharing:client-stop", ["member"], grantee_only("counselor", 200)),
    Row("POST", "sharing:client-stop", ["member"], grantee_only("counselor", 302)),
    Row("GET", "sharing:supporting-list", [], signed_in_all(200)),
    Row("GET", "sharing:supporting", ["member"], grantee_only("supporter", 200)),
    Row("POST", "sharing:encourage", ["member"], grantee_only("supporter", 422)),
    Row("GET", "sharing:supporting-stop", ["member"], grantee_only("supporter", 200)),
    Row("POST", "sharing:supporting-stop", ["member"], grantee_only("supporter", 302)),
    Row("POST", "sharing:help-claim", ["member", "help_request"], grantee_only("supporter", 302)),
    Row(
        "POST",
        "sharing:help-hand-back",
        ["member", "claimed_request"],
        grantee_only("supporter", 302),
    ),
    Row("POST", "sharing:lesson-read", ["member", "talking"], grantee_only("supporter", 302)),
    # Practical help, the member's side
    Row("GET", "sharing:help-requests", [], signed_in_all(200)),
    Row("POST", "sharing:help-request-create", [], signed_in_all(422)),
    Row("POST", "sharing:help-request-cancel", ["help_request"], owner_only(302)),
    Row("GET", "sharing:help-request-thank", ["claimed_request"], owner_only(200)),
    Row("POST", "sharing:help-request-thank", ["claimed_request"], owner_only(422)),
    # Everyone's calendar; its feed answers whoever holds the token (here the member's)
    Row("GET", "sharing:calendar", [], signed_in_all(200)),
    Row("POST", "sharing:calendar-new", [], signed_in_all(200)),
    Row("POST", "sharing:calendar-settings", [], signed_in_all(302)),
    Row("POST", "sharing:calendar-revoke", [], signed_in_all(302)),
    Row("GET", "sharing:calendar-ics", ["calendar_token"], everyone(200)),
    # The member's own data
    Row("GET", "sharing:my-data", [], signed_in_all(200)),
    # A copy of one's data asks for the password again first (test_fresh_sign_in.py).
    Row("GET", "sharing:export-json", [], signed_in_all(302)),
    Row("GET", "sharing:export-page", [], signed_in_all(302)),
    Row("GET", "sharing:delete-account", [], signed_in_all(200)),
    Row("POST", "sharing:delete-account", [], signed_in_all(422)),
]

# Reads of the member's data by someone else: each writes exactly one access record.
RECORDED = {
    ("GET", "sharing:client", "counselor"),
    ("POST", "sharing:comment-add", "counselor"),  # the page again, with the errors
    ("POST", "sharing:comment-reply", "counselor"),
    ("POST", "sharing:review", "counselor"),
    ("GET", "sharing:supporting", "supporter"),
    ("POST", "sharing:encourage", "supporter"),
    ("GET", "sharing:clients", "counselor"),
    # Not a read: the grantee ending their own access, which the member's log keeps.
    ("POST", "sharing:client-stop", "counselor"),
    ("POST", "sharing:supporting-stop", "supporter"),
    # The member's calendar feed, whoever fetches it with the member's token.
    *(("GET", "sharing:calendar-ics", role) for role in ROLES),
}


def our_url_names() -> set[str]:
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(NOT_OURS):
                    continue
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_expectation():
    assert our_url_names() == {row.name for row in MATRIX}


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Nine accounts a test: argon2 (tested elsewhere) would spend most of the time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(member, other_member, their_counselor, their_supporter):
    return build_world(
        member=member,
        other_member=other_member,
        counselor=their_counselor,
        supporter=their_supporter,
    )


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.method} {r.name} {r.args}")
def test_each_person_gets_exactly_the_expected_status(row, world):
    objects = world["objects"]
    url = reverse(row.name, args=[objects.get(a, a) if isinstance(a, str) else a for a in row.args])
    got, records = {}, {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["people"][role])
        before = AccessRecord.objects.count()
        response = client.get(url) if row.method == "GET" else client.post(url, {})
        got[role] = response.status_code
        records[role] = AccessRecord.objects.count() - before
    assert got == row.expected
    expected_records = {role: int((row.method, row.name, role) in RECORDED) for role in ROLES}
    assert records == expected_records, "one access record per read by someone else"
