"""Redis stopped under a production gunicorn: members still sign in, see their pages and
check in; /healthz says Redis is down; sign-in limits count again once it is back.

Reminders that fall due during the outage and are sent once Redis is back:
tests/plans/test_reminders_worker.py::
test_reminders_that_fall_due_while_redis_is_down_are_sent_or_skipped_afterwards.
"""

import pytest

from networks.models import ContactLog
from plans.models import CheckIn
from recovery_support.devstack import free_port
from tests.factories import PASSWORD, SupportSourceFactory
from tests.faults.conftest import Browser, start_gunicorn, web_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300), pytest.mark.django_db(transaction=True)]

WRONG = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
# Redis refuses connections at once: any request slower than this waited on something.
QUICK = 5


def test_members_sign_in_see_their_pages_and_check_in_while_redis_is_down(
    member, dedicated_redis, static_root, start_process
):
    sources = [SupportSourceFactory(owner=member), SupportSourceFactory(owner=member)]
    env = web_env(static_root, free_port(), REDIS_URL=dedicated_redis.url)
    env.pop("REDIS_CACHE_URL", None)  # the cache goes down with the broker
    gunicorn = start_gunicorn(start_process, env)
    browser = Browser(gunicorn.base)

    dedicated_redis.stop()

    health = browser.get("/healthz")
    assert health.status == 503
    assert health.body == '{"status": "down"}'

    # Rate limits are kept in PostgreSQL meanwhile: a wrong password is still just a wrong
    # password, and guessing is still limited.
    wrong = browser.sign_in(member.email, "not-the-password")
    assert wrong.status == 200 and WRONG in wrong.body
    signed_in = browser.sign_in(member.email, PASSWORD)
    assert signed_in.status == 302, signed_in.body[:500]
    assert signed_in.location == "/dashboard/"
    assert signed_in.seconds < QUICK
    guesser = Browser(gunicorn.base)
    for attempt in range(4):  # the fifth failure of this account within five minutes
        assert WRONG in guesser.sign_in(member.email, f"guess-{attempt}").body, attempt
    refused = guesser.sign_in(member.email, PASSWORD)
    assert refused.status == 200 and TOO_MANY in refused.body
    assert refused.seconds < QUICK

    for path in (
        "/dashboard/",
        "/network/",
        "/plan/step/1/",
        "/plan/checkin/",
        "/plan/checkin/history/",
    ):
        page = browser.get(path)
        assert page.status == 200, (path, page.body[:500])
        assert page.seconds < QUICK, path

    saved = browser.post(
        "/plan/checkin/",
        {"mood": "3", "craving": "4", "supports_contacted": [s.pk for s in sources]},
    )
    assert saved.status == 302 and saved.location == "/plan/checkin/history/"
    checkin = CheckIn.objects.get(owner=member)
    assert (checkin.mood, checkin.craving) == (3, 4)
    assert set(checkin.supports_contacted.all()) == set(sources)
    assert ContactLog.objects.filter(source__in=sources, contacted_on=checkin.day).count() == 2
    assert "Thank you for checking in." in browser.get(saved.location).body

    # Back: healthy again, and failed sign-ins are counted again by the same workers.
    dedicated_redis.start()
    assert browser.get("/healthz").status == 200
    stranger = Browser(gunicorn.base)
    for attempt in range(5):
        assert WRONG in stranger.sign_in(member.email, f"wrong-{attempt}").body, attempt
    refused = stranger.sign_in(member.email, PASSWORD)
    assert refused.status == 200 and TOO_MANY in refused.body
    assert gunicorn.poll() is None
    log = gunicorn.log_path.read_text()
    assert 1 <= log.count("cache: Redis is not answering") <= 2  # once per worker at most
