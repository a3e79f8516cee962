"""Benchmark: real traffic. Many people, each with their own session and data,
looking at their own pages a few at a time, now and then changing something and
then looking again, as people do.

- 500 members, each with their own network (5 to 30 sources, the demo's is 12),
  the demo plan (fuller or thinner as their network has the people it asks) and
  six weeks of check-ins;
- 20 counselors with 25 of them as clients each (two-factor set up);
- 100 supporters, each following 5 of them.

The requests come in visits: one person signs in and asks for a few of their
pages. A member's visit may hold a write (a check-in, a contact logged, a goal
updated; about 1 in 10 of all requests), followed by more of their pages. Visits
are shuffled together into one sequence, played from separate processes: by wrk (a
Lua script cycling through it) at the most it gets, then, from a quarter of the way
in, by benchmarks.loadgen at a steady 50 requests a second. Writes are sent as htmx
sends them and answer 200, like every page. The bare view, measured just before, is
the floor.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from benchmarks import pages, stack
from benchmarks.report import Section, measured_on, table
from networks.demo import DEMO_SOURCES
from networks.models import ContactLog, SupportSource
from plans.demo import load_demo_plan
from plans.models import Goal
from recovery_support.models import User
from sharing.models import Grant, Role

MEMBERS = 500
COUNSELORS = 20
CLIENTS_EACH = MEMBERS // COUNSELORS  # 25
SUPPORTERS = 100
FOLLOWED_EACH = MEMBERS // SUPPORTERS  # 5
# Network sizes, cycled through the members: around the demo's 12, from 5 to 30.
NETWORK_SIZES = [5, 8, 10, 12, 12, 14, 18, 30]
MEMBER_PAGES = {
    "dashboard": "/dashboard/",
    "network": "/network/",
    "plan step 1": "/plan/step/1/",
    "plan step 2": "/plan/step/2/",
    "plan step 3": "/plan/step/3/",
    "plan step 4": "/plan/step/4/",
    "check-in": "/plan/checkin/",
    "history": "/plan/checkin/history/",
}
# A member's visit: this many pages, and a write with this chance (about 1 request
# in 10 is a write, over every kind of visit).
VISIT_PAGES = (2, 5)
WRITE_CHANCE = 0.4
SEQUENCE_LENGTH = 30_000
SEED = 14
WRK_SCRIPT = Path(__file__).with_name("traffic.lua")


# --- People and their data ------------------------------------------------------------


@dataclass
class Member:
    user_id: int
    cookie: str
    source_id: int  # the one whose contact they log
    goal: dict[str, Any]  # the goal they update: its pk and fields


@dataclass
class People:
    members: list[Member] = field(default_factory=list)
    counselors: list[tuple[str, list[int]]] = field(default_factory=list)  # cookie, clients
    supporters: list[tuple[str, list[int]]] = field(default_factory=list)  # cookie, followed


def _network(member: User, size: int) -> None:
    """`size` sources like the demo's (numbered copies past its 12), with contacts."""
    today = timezone.localdate()
    sources, contacts = [], []
    for n in range(size):
        data = dict(DEMO_SOURCES[n % len(DEMO_SOURCES)])
        days_ago = data.pop("contacted_days_ago", [])
        if n >= len(DEMO_SOURCES):
            data["name"] = f"{data['name']} {n // len(DEMO_SOURCES) + 1}"
        sources.append(SupportSource(owner=member, **data))
        contacts.append(days_ago)
    SupportSource.objects.bulk_create(sources)
    ContactLog.objects.bulk_create(
        ContactLog(source=source, contacted_on=today - timedelta(days=days))
        for source, days_ago in zip(sources, contacts, strict=True)
        for days in days_ago
    )


def build() -> People:
    """Everyone, their data and a signed-in browser each (one cookie header)."""
    zone = settings.DEFAULT_MEMBER_TIME_ZONE
    people = People()
    members = []
    for n in range(MEMBERS):
        email = f"traffic-member{n}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, display_name=f"Member {n}", time_zone=zone)
            _network(user, NETWORK_SIZES[n % len(NETWORK_SIZES)])
            load_demo_plan(user)
        members.append(user)
    for n in range(COUNSELORS):
        counselor, created = User.objects.get_or_create(
            email=f"traffic-counselor{n}@example.org",
            defaults={"display_name": f"Counselor {n}", "is_professional": True, "time_zone": zone},
        )
        clients = members[n * CLIENTS_EACH : (n + 1) * CLIENTS_EACH]
        if created:
            Authenticator.objects.create(user=counselor, type=Authenticator.Type.TOTP, data={})
            Grant.objects.bulk_create(
                Grant(member=client, grantee=counselor, role=Role.COUNSELOR, show_missed=True)
                for client in clients
            )
        people.counselors.append((stack.session_cookie(counselor), [c.pk for c in clients]))
    for n in range(SUPPORTERS):
        supporter, created = User.objects.get_or_create(
            email=f"traffic-supporter{n}@example.org",
            defaults={"display_name": f"Supporter {n}", "time_zone": zone},
        )
        followed = members[n * FOLLOWED_EACH : (n + 1) * FOLLOWED_EACH]
        if created:
            Grant.objects.bulk_create(
                Grant(member=member, grantee=supporter, role=Role.SUPPORTER, show_streak=True)
                for member in followed
            )
        people.supporters.append((stack.session_cookie(supporter), [m.pk for m in followed]))
    goals = {g.plan.owner_id: g for g in Goal.objects.filter(title="Walk 30 minutes a day")}
    goals_by_owner = {
        owner: {"pk": g.pk, "title": g.title, "target": g.target} for owner, g in goals.items()
    }
    first_source = dict(
        SupportSource.objects.filter(owner__in=members, name="Maria").values_list("owner", "pk")
    )
    for user in members:
        cookie = stack.session_cookie(user)
        people.members.append(
            Member(user.pk, cookie, first_source[user.pk], goals_by_owner[user.pk])
        )
    return people


# --- The sequence of requests ---------------------------------------------------------


def _headers(cookie: str, port: int, write: bool) -> dict[str, str]:
    headers = {"Cookie": cookie, **stack.PROXY_HEADERS}
    if write:
        # As htmx posts: its header, the CSRF token in a header, and the Origin
        # Django checks on HTTPS.
        headers.update(
            {
                "HX-Request": "true",
                "X-CSRFToken": stack.csrf_secret(cookie),
                "Origin": f"https://127.0.0.1:{port}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
        )
    return headers


def _request(name: str, method: str, path: str, cookie: str, port: int, body: str = "") -> dict:
    headers = _headers(cookie, port, method == "POST")
    return {"name": name, "method": method, "path": path, "headers": headers, "body": body}


def _write(member: Member, rng: random.Random, port: int) -> dict:
    kind = rng.choice(["check-in", "contact logged", "goal updated"])
    if kind == "check-in":
        body = f"mood={rng.randint(1, 5)}&craving={rng.randint(0, 10)}&meeting_attended=on"
        return _request("write: check-in", "POST", "/plan/checkin/", member.cookie, port, body)
    if kind == "contact logged":
        path = f"/network/sources/{member.source_id}/contact/"
        return _request("write: contact logged", "POST", path, member.cookie, port)
    goal = member.goal
    body = f"title={goal['title']}&target={goal['target']}&progress={rng.randint(0, 100)}"
    path = f"/plan/items/goals/{goal['pk']}/"
    body = body.replace(" ", "+")
    return _request("write: goal updated", "POST", path, member.cookie, port, body)


def _visit(people: People, rng: random.Random, port: int) -> list[dict]:
    who = rng.random()
    if who < 0.1:  # a counselor: their list, then a client or two
        cookie, clients = rng.choice(people.counselors)
        visit = [_request("counselor: clients", "GET", "/clients/", cookie, port)]
        for member_id in rng.sample(clients, rng.randint(1, 2)):
            path = f"/clients/{member_id}/"
            visit.append(_request("counselor: a client's page", "GET", path, cookie, port))
        return visit
    if who < 0.2:  # a supporter: the page of someone they follow, their own dashboard
        cookie, followed = rng.choice(people.supporters)
        path = f"/supporting/{rng.choice(followed)}/"
        return [
            _request("supporter: supporting page", "GET", path, cookie, port),
            _request("supporter: dashboard", "GET", "/dashboard/", cookie, port),
        ]
    member = rng.choice(people.members)
    names = rng.sample(list(MEMBER_PAGES), rng.randint(*VISIT_PAGES))
    visit = [_request(n, "GET", MEMBER_PAGES[n], member.cookie, port) for n in names]
    if rng.random() < WRITE_CHANCE:
        visit.insert(rng.randint(1, len(visit) - 1), _write(member, rng, port))
    return visit


def sequence(people: People, port: int, length: int = SEQUENCE_LENGTH) -> list[dict]:
    """Visits shuffled together as they arrive from many browsers: up to 8 visits
    are in progress at once, each taking its next request in turn at random."""
    rng = random.Random(SEED)  # noqa: S311 (the same sequence every run, not a secret)
    open_visits: list[list[dict]] = []
    requests: list[dict] = []
    while len(requests) < length:
        while len(open_visits) < 8:
            open_visits.append(_visit(people, rng, port))
        visit = rng.choice(open_visits)
        requests.append(visit.pop(0))
        if not visit:
            open_visits.remove(visit)
    return requests


# --- Load -------------------------------------------------------------------------------


def wrk_mix(web: stack.Web, requests: list[dict], seconds: int, data: Path) -> dict[str, Any]:
    """wrk at its most, cycling through the requests in order (traffic.lua)."""
    lines = ["return {"]
    for r in requests:
        headers = "".join(f"[{_lua(k)}]={_lua(v)}," for k, v in r["headers"].items())
        lines.append(f"{{{_lua(r['method'])},{_lua(r['path'])},{{{headers}}},{_lua(r['body'])}}},")
    lines.append("}")
    data.write_text("\n".join(lines))
    return pages.run_wrk(web, ["-s", str(WRK_SCRIPT), web.base, "--", str(data)], seconds)


def _lua(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal here


def run() -> Section:
    print("traffic: building 500 members, 20 counselors, 100 supporters ...", flush=True)
    people = build()
    bare_cookie = people.members[0].cookie
    web = stack.start_web()
    try:
        requests = sequence(people, web.port)
        writes = sum(r["method"] == "POST" for r in requests) / len(requests)
        for r in requests[:200]:  # pages answer 200 before anything is measured
            if r["method"] == "GET":
                response = stack.get(web.base + r["path"], r["headers"])
                if response.status != 200:
                    raise RuntimeError(f"{r['path']} answered {response.status}, not 200")
        data = stack.WORK_DIR / "traffic-data.lua"
        print("traffic: bare view ...", flush=True)
        bare = pages.wrk(web, pages.BARE.path, bare_cookie, pages.MAX_SECONDS)
        uptime_before = load_average()
        # The second half of the sequence warms up; the first is measured.
        half = len(requests) // 2
        wrk_mix(web, requests[half:], 2, data)
        print("traffic: the mix at the most wrk gets ...", flush=True)
        most = wrk_mix(web, requests, pages.MAX_SECONDS, data)
        # Past what the first run reached, so no request is sent twice.
        start = len(requests) // 4
        steady_requests = requests[start : start + pages.STEADY_RATE * pages.STEADY_SECONDS]
        print(f"traffic: the mix at {pages.STEADY_RATE} req/s ...", flush=True)
        at_rate = pages.steady(web.base, steady_requests, pages.STEADY_RATE, pages.STEADY_SECONDS)
        uptime_after = load_average()
        log = web.service.log.read_text(errors="replace")
        answers = Counter(re.findall(r'" (\d{3}) \S+ \d+ms$', log, re.MULTILINE))
    finally:
        web.service.stop()
    body = report(
        bare, most, at_rate, writes, answers, (uptime_before, uptime_after), steady_requests
    )
    return Section("Real traffic", body)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5 min: {five:.2f})"


def report(bare, most, at_rate, writes, answers, loads, steady_requests) -> str:
    errors = most["socket_errors"] + most["not_ok"]
    kinds = Counter(r["name"] for r in steady_requests)
    rows = [
        [
            "all, at the most wrk gets",
            f"{most['requests']:,}",
            f"{most['rps']:,.0f} ({most['rps'] / bare['rps']:.0%} of bare)",
            pages.ms(most["p50_us"]),
            pages.ms(most["p95_us"]),
            pages.ms(most["p99_us"]),
            f"{errors} ({pages.error_kinds(most, {'all': {'errors': 0}})})" if errors else "0",
        ],
        [
            f"all, at a steady {pages.STEADY_RATE} req/s",
            f"{at_rate['all']['count']:,}",
            f"{at_rate['achieved_rate']:.1f}",
            f"{at_rate['all']['p50_ms']:.1f}",
            f"{at_rate['all']['p95_ms']:.1f}",
            f"{at_rate['all']['p99_ms']:.1f}",
            str(at_rate["all"]["errors"]),
        ],
    ]
    for name, figures in sorted(at_rate["by_name"].items()):
        rows.append(
            [
                f"{name}, steady",
                f"{kinds[name]:,}",
                "",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p95_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                str(figures["errors"]),
            ]
        )
    met = at_rate["all"]["p95_ms"] < pages.MAX_STEADY_P95_MS and not errors
    met = met and not at_rate["all"]["errors"]
    samples = at_rate["error_samples"]
    return "\n".join(
        [
            measured_on(),
            "",
            f"{MEMBERS} members (networks of {min(NETWORK_SIZES)} to {max(NETWORK_SIZES)} "
            f"sources, the demo plan, six weeks of check-ins), {COUNSELORS} counselors with "
            f"{CLIENTS_EACH} clients each, {SUPPORTERS} supporters following "
            f"{FOLLOWED_EACH} members each, each person signed in with their own session. "
            "Requests come in visits of a few pages by one person, shuffled together; "
            f"{writes:.0%} are writes (a check-in, a contact logged, a goal updated, as "
            "htmx posts them), each followed by more of that member's pages. The sequence "
            f"is played by wrk ({pages.CONNECTIONS} connections, {pages.MAX_SECONDS} s) at "
            "the most it gets, then, from a quarter of the way in, by "
            f"`benchmarks/loadgen.py` at a steady {pages.STEADY_RATE} requests a second "
            f"for {pages.STEADY_SECONDS} s. "
            f"gunicorn with the production config and settings. The bare view measured just "
            f"before: {bare['rps']:,.0f} req/s. CPU time of gunicorn and PostgreSQL a "
            f"request at the most: {most['cpu_ms']:.1f} ms for the mix, "
            f"{bare['cpu_ms']:.1f} ms for the bare view ({bare['cpu_ms'] / most['cpu_ms']:.0%}). "
            f"Load average (`uptime`) before and after: {loads[0]}; {loads[1]}.",
            "",
            table(["requests", "answered", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"], rows),
            "",
            "Answers in gunicorn's access log: "
            + ", ".join(f"{status}: {n:,}" for status, n in sorted(answers.items()))
            + ".",
            "Target (p95 under 50 ms at 50 req/s, 0 errors): "
            + ("met." if met else "**missed**.")
            + (f" First failures: {', '.join(samples)}." if samples else ""),
            "",
        ]
    )
