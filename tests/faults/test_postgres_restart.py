"""PostgreSQL stopped and started again under a production gunicorn that keeps serving
signed-in members: the outage shows our error page at once, the same gunicorn workers
answer again afterwards, and no form post is left half saved."""

import itertools
import json
import threading
import time
from dataclasses import dataclass, field

import psutil
import pytest

from recovery_support.devstack import free_port
from tests.conftest import wait_until
from tests.faults.conftest import Browser, Response, manage, start_gunicorn, web_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(360)]

PEOPLE = 40
OUTAGE = 3  # seconds PostgreSQL stays down, at the least

# Members signed in through a session in the database, each with two supports to tick.
SEED = f"""
import json
from django.conf import settings
from django.test import Client
from tests.factories import SupportSourceFactory, UserFactory

people = []
for n in range({PEOPLE}):
    user = UserFactory(password=None)
    sources = [SupportSourceFactory(owner=user), SupportSourceFactory(owner=user)]
    client = Client()
    client.force_login(user)
    people.append({{
        "id": user.pk,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "sources": [source.pk for source in sources],
    }})
print("PEOPLE=" + json.dumps(people))
"""

# What the posts left in the database: every source added, every check-in with the
# supports ticked in it and the contacts those ticks logged.
SAVED = """
import json
from networks.models import ContactLog, SupportSource
from plans.models import CheckIn

checkins = []
for checkin in CheckIn.objects.prefetch_related("supports_contacted"):
    logged = ContactLog.objects.filter(source__owner=checkin.owner_id, contacted_on=checkin.day)
    checkins.append({
        "owner": checkin.owner_id,
        "note": checkin.note,
        "supports": sorted(s.pk for s in checkin.supports_contacted.all()),
        "logged": sorted(logged.values_list("source_id", flat=True)),
    })
added = SupportSource.objects.filter(name__startswith="Helper ")
sources = list(added.values_list("name", flat=True))
print("SAVED=" + json.dumps({"checkins": checkins, "sources": sources}))
"""


def shell(code: str, marker: str, env: dict[str, str]):
    output = manage("shell", "-c", code, env=env)
    line = next(line for line in output.splitlines() if line.startswith(marker + "="))
    return json.loads(line.removeprefix(marker + "="))


@dataclass
class Sent:
    what: str  # "page", "source" or "checkin"
    round: int
    member: int
    label: str
    started: float
    finished: float
    response: Response | None = None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        expected = 200 if self.what == "page" else 302
        return self.response is not None and self.response.status == expected


@dataclass
class Load:
    """Signed-in members taking turns, round after round until stopped: the dashboard,
    the network, adding a support, the check-in page and checking in."""

    browsers: list[Browser]
    people: list[dict]
    sent: list[Sent] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    round: int = 0  # the round being sent, and whose turn it is
    member: int = 0

    def run(self) -> None:
        for round_number in itertools.count():
            if self.stopping.is_set():
                return
            turn = round_number % len(self.people)
            browser, person = self.browsers[turn], self.people[turn]
            self.round, self.member = round_number, person["id"]
            self.send("page", "/dashboard/", browser.get, "/dashboard/")
            self.send("page", "/network/", browser.get, "/network/")
            name = f"Helper {round_number}"
            source = {"name": name, "category": "friend", "closeness": "3"}
            source["influence"] = "supports"
            self.send("source", name, browser.post, "/network/sources/", source)
            self.send("page", "/plan/checkin/", browser.get, "/plan/checkin/")
            checkin = {"mood": "4", "craving": "2", "note": f"round {round_number}"}
            checkin["supports_contacted"] = person["sources"]
            label = f"check-in {round_number}"
            self.send("checkin", label, browser.post, "/plan/checkin/", checkin)

    def send(self, what: str, label: str, method, *args) -> None:
        started = time.monotonic()
        try:
            response, error = method(*args), ""
        except OSError as exc:  # a timeout (a hang) or a refused connection
            response, error = None, repr(exc)
        finished = time.monotonic()
        self.sent.append(
            Sent(what, self.round, self.member, label, started, finished, response, error)
        )

    def rounds_ok_since(self, moment: float) -> int:
        """Whole rounds, begun after `moment`, in which every request succeeded."""
        rounds: dict[int, list[Sent]] = {}
        for sent in list(self.sent):
            if sent.started > moment:
                rounds.setdefault(sent.round, []).append(sent)
        return sum(
            1 for sents in rounds.values() if len(sents) == 5 and all(s.succeeded for s in sents)
        )

    def errors_since(self, moment: float) -> list[Sent]:
        return [s for s in list(self.sent) if s.started > moment and not s.succeeded]


def summary(sent: list[Sent], stopped: float, restarting: float, started: float) -> str:
    def line(s: Sent) -> str:
        status = s.response.status if s.response else s.error
        return f"{s.started - stopped:+7.2f}s {s.finished - s.started:5.2f}s {s.label} {status}"

    return "\n".join(
        [f"down {restarting - stopped:.2f}s, start took {started - restarting:.2f}s"]
        + [line(s) for s in sent]
    )


def gunicorn_workers(gunicorn) -> set[int]:
    return {child.pid for child in psutil.Process(gunicorn.pid).children()}


def test_pages_answer_again_after_postgres_restarts_and_no_post_is_half_saved(
    dedicated_postgres, static_root, start_process
):
    env = web_env(static_root, free_port(), DATABASE_URL=dedicated_postgres.url)
    manage("migrate", "--noinput", env=env)
    people = shell(SEED, "PEOPLE", env)
    gunicorn = start_gunicorn(start_process, env)

    browsers = []
    for person in people:
        browser = Browser(gunicorn.base)
        browser.cookies["__Host-sessionid"] = person["session"]
        # Its CSRF cookie and token, which a member has from the page they post from.
        assert browser.get("/network/").status == 200
        browsers.append(browser)
    workers = gunicorn_workers(gunicorn)
    assert len(workers) == 2

    load = Load(browsers, people)
    thread = threading.Thread(target=load.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: load.rounds_ok_since(0) >= 3, timeout=90, message="no load ran")

        dedicated_postgres.stop()
        stopped = time.monotonic()
        try:
            wait_until(
                lambda: (
                    time.monotonic() - stopped > OUTAGE and len(load.errors_since(stopped)) >= 10
                ),
                timeout=60,
                message="nothing was sent while PostgreSQL was down",
            )
        finally:
            restarting = time.monotonic()
            dedicated_postgres.start()
        started = time.monotonic()

        wait_until(
            lambda: load.rounds_ok_since(started) >= 3,
            timeout=90,
            message="pages did not answer again after PostgreSQL came back",
        )
    finally:
        load.stopping.set()
        thread.join(timeout=3 * 15 + 5)
    assert not thread.is_alive()
    sent = load.sent
    print(summary(sent, stopped, restarting, started))  # shown when the test fails

    # Not one request hung or lost its connection: each had an answer, and it was
    # either the page or post's success or our own error page.
    assert not [s for s in sent if s.error], [s.error for s in sent if s.error]
    assert all(s.succeeded or s.response.is_error_page for s in sent), [
        (s.label, s.response.status, s.response.body[:300]) for s in sent if not s.succeeded
    ]
    during = [s for s in sent if s.started > stopped and s.finished < restarting]
    assert len(during) >= 10, "the test sent too little while PostgreSQL was down"
    assert all(s.response.is_error_page for s in during)
    assert max(s.finished - s.started for s in during) < 5, "a request waited on the database"

    # Back without restarting gunicorn: the same workers answer every request again,
    # from the first (a connection cut by the restart is checked before it is used).
    assert not load.errors_since(started), "a request failed after PostgreSQL was back"
    # A quiet restart: no request sees PostgreSQL go, so each worker still holds its
    # connection from before, cut now; it is checked before use and opened again.
    dedicated_postgres.stop()
    dedicated_postgres.start()
    after_quiet_restart = [browsers[0].get("/dashboard/").status for _ in range(12)]
    assert after_quiet_restart == [200] * 12
    assert gunicorn.poll() is None
    assert gunicorn_workers(gunicorn) == workers

    # Every post that succeeded is saved whole, and no post that failed left anything.
    saved = shell(SAVED, "SAVED", env)
    added = {s.label for s in sent if s.what == "source" and s.succeeded}
    assert sorted(saved["sources"]) == sorted(added)
    checked_in = {s.member for s in sent if s.what == "checkin" and s.succeeded}
    assert {c["owner"] for c in saved["checkins"]} == checked_in
    sources_of = {person["id"]: sorted(person["sources"]) for person in people}
    last_round = {s.member: s.round for s in sent if s.what == "checkin" and s.succeeded}
    for checkin in saved["checkins"]:
        # The answers of the member's last check-in that succeeded: a failed one changed nothing.
        assert checkin["note"] == f"round {last_round[checkin['owner']]}", checkin
        assert checkin["supports"] == sources_of[checkin["owner"]], checkin
        assert checkin["logged"] == sources_of[checkin["owner"]], checkin
    # The outage caught posts of both kinds, so the checks above had something to find.
    assert {s.what for s in during} == {"page", "source", "checkin"}
