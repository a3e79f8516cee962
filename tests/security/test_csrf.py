"""Every POST checks its CSRF token: the member's own browser, signed in, posting what
the form would send but without a matching token, is refused with 403 and nothing
changes. The same post with the token goes through, so the refusal is the token's."""

from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.security.endpoints import POST_ROWS, form_fields, owner_of, row_id, typical, url_for
from tests.security.snapshots import changes, snapshot


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(client: Client) -> str:
    """The CSRF token a page hands this browser (in a cookie, and in the page)."""
    client.get("/help/")
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(world):
    people = world["people"]
    member, other_member = people["member"], people["other_member"]
    someone_elses_token = _token(Client(enforce_csrf_checks=True))
    forms = {}
    for row in POST_ROWS:
        url = url_for(row, world)
        owner = owner_of(row)
        fields = form_fields(row, url, owner, world)
        forms[row_id(row)] = (url, owner, {name: typical(f) for name, f in fields.items()})

    roles = {owner for _, owner, _ in forms.values()}
    fresh = {role: _signed_in(people[role]) for role in roles}  # no CSRF cookie yet
    with_cookie = {role: _signed_in(people[role]) for role in roles}
    own_token = {role: _token(client) for role, client in with_cookie.items()}

    before = {person: snapshot(person) for person in (member, other_member)}
    refused, accepted = {}, {}
    for row in POST_ROWS:
        url, owner, data = forms[row_id(row)]
        fresh[owner].cookies.pop(settings.CSRF_COOKIE_NAME, None)
        attempts = {
            "no cookie, no token": (fresh[owner], data, {}),
            "cookie, no token": (with_cookie[owner], data, {}),
            "cookie, another browser's token in the form": (
                with_cookie[owner],
                {**data, "csrfmiddlewaretoken": [someone_elses_token]},
                {},
            ),
            "cookie, another browser's token in the htmx header": (
                with_cookie[owner],
                data,
                {"HX-Request": "true", "X-CSRFToken": someone_elses_token},
            ),
        }
        for how, (client, body, headers) in attempts.items():
            status = client.post(url, body, headers=headers).status_code
            refused[(row_id(row), how)] = status
        with transaction.atomic():  # the control: the right token gets past the check
            token = {"X-CSRFToken": own_token[owner]}
            accepted[row_id(row)] = with_cookie[owner].post(url, data, headers=token).status_code
            transaction.set_rollback(True)

    assert {key: status for key, status in refused.items() if status != 403} == {}
    for person, rows in before.items():
        assert changes(rows, snapshot(person)) == [], f"{person}'s data changed"
    assert {key: status for key, status in accepted.items() if status == 403} == {}
    assert len(refused) == 4 * len(POST_ROWS) > 100
