"""Benchmark: how fast the main pages are served, and how quickly at a steady rate.

gunicorn with the production config and settings, on PostgreSQL and Redis, loaded
over loopback from separate processes: wrk for the most requests per second, and
benchmarks.loadgen for latency at a constant 50 requests a second. A bare view
served by the same gunicorn through the same middleware is the floor each page is
compared with, measured in the same run.

To add a page: one `Page` in PAGES, with a function that builds its data and
returns who signs in to see it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from benchmarks import stack
from benchmarks.report import Section, measured_on, table
from networks import services as network_services
from networks.demo import DEMO_SOURCES, load_demo_network
from plans.demo import load_demo_plan
from plans.models import CheckIn, CheckInSchedule, Plan
from recovery_support.devstack import PROJECT_DIR
from recovery_support.models import User
from sharing.models import Grant, Role

MAX_SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "20"))
STEADY_SECONDS = int(os.environ.get("BENCH_STEADY_SECONDS", "30"))
STEADY_RATE = 50
# Two connections per gunicorn worker keeps every worker busy without a long queue.
CONNECTIONS = 2 * int(os.environ.get("WEB_CONCURRENCY", "3"))
# Targets from the issue, on a 2-core machine.
MIN_SHARE_OF_BARE = 0.20
MAX_STEADY_P95_MS = 50.0
NETWORK_SOURCES = 60
CLIENTS = 100
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    viewer: Callable[[], User]  # builds the page's data (once) and returns who views it


# --- Data ----------------------------------------------------------------------------


@cache
def full_member() -> User:
    """A member well into the programme: 60 sources with contact history, the demo's
    full four-step plan, six weeks of check-ins and a reminder schedule."""
    user = User.objects.filter(email="bench-member@example.org").first()
    if user:
        return user
    user = User.objects.create_user(
        "bench-member@example.org",
        display_name="Sam",
        time_zone=settings.DEFAULT_MEMBER_TIME_ZONE,
    )
    load_demo_network(user)
    today = timezone.localdate()
    for n in range(NETWORK_SOURCES - len(DEMO_SOURCES)):
        data = dict(DEMO_SOURCES[n % len(DEMO_SOURCES)])
        contacts = data.pop("contacted_days_ago", [])
        data["name"] = f"{data['name']} {n // len(DEMO_SOURCES) + 2}"
        source = network_services.source_create(owner=user, data=data)
        for days in contacts:
            network_services.contact_log(source=source, on=today - timedelta(days=days))
    load_demo_plan(user)
    return user


@cache
def counselor_with_clients() -> User:
    """A counselor (with TOTP set up, or the two-factor middleware redirects) and 100
    clients sharing with them, each with a plan, a schedule and four weeks of
    check-ins with gaps, a craving trend and now and then a call for help."""
    counselor = User.objects.filter(email="bench-counselor@example.org").first()
    if counselor:
        return counselor
    zone = settings.DEFAULT_MEMBER_TIME_ZONE
    counselor = User.objects.create_user(
        "bench-counselor@example.org",
        display_name="Dr. Rivera",
        is_professional=True,
        time_zone=zone,
    )
    Authenticator.objects.create(user=counselor, type=Authenticator.Type.TOTP, data={})
    clients = User.objects.bulk_create(
        User(email=f"bench-client{n}@example.org", display_name=f"Client {n}", time_zone=zone)
        for n in range(CLIENTS)
    )
    Plan.objects.bulk_create(
        Plan(owner=client, status="active" if n % 4 else "draft")
        for n, client in enumerate(clients)
    )
    # Due tomorrow: these members' reminders must not join the reminder benchmarks.
    tomorrow = timezone.now() + timedelta(days=1)
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(owner=client, next_due_at=tomorrow) for client in clients
    )
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=client,
            day=today - timedelta(days=day),
            mood=1 + (n + day) % 5,
            craving=(n * day) % 11,
            needed_help=(n + day) % 37 == 0,
        )
        for n, client in enumerate(clients)
        for day in range(28)
        if (n + day) % 5
    )
    Grant.objects.bulk_create(
        Grant(member=client, grantee=counselor, role=Role.COUNSELOR, alert_on_help=True)
        for client in clients
    )
    return counselor


BARE = Page("bare view (floor)", "/bench/bare/", full_member)
PAGES = [
    Page("member dashboard", "/dashboard/", full_member),
    Page(f"network, {NETWORK_SOURCES} sources", "/network/", full_member),
    Page("plan step 4, full plan", "/plan/step/4/", full_member),
    Page(
        f"counselor dashboard, {CLIENTS} clients (the first 25)",
        "/clients/",
        counselor_with_clients,
    ),
    Page(f"counselor dashboard, all {CLIENTS} clients", "/clients/?all=1", counselor_with_clients),
]


# --- Load ---------------------------------------------------------------------------------


def wrk(web: stack.Web, path: str, cookie: str, seconds: int) -> dict[str, Any]:
    """The most requests per second wrk gets for one page."""
    args = ["-s", str(WRK_SCRIPT)]
    headers = {"Cookie": cookie, **stack.PROXY_HEADERS}
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    return run_wrk(web, [*args, web.base + path], seconds)


def run_wrk(web: stack.Web, args: list[str], seconds: int) -> dict[str, Any]:
    """wrk with a script that prints its figures as JSON (wrk_report.lua): the most
    requests per second, the latency while serving them, and the CPU time gunicorn and
    PostgreSQL spent a request meanwhile (on a busy machine the steadier figure). Run
    from the project, where scripts find each other."""
    before = stack.cpu_seconds(web.serving())
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", *args]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=PROJECT_DIR
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    used = stack.cpu_used(before, stack.cpu_seconds(web.serving()))
    result["cpu_ms"] = 1000 * used / max(1, result["requests"])
    return result


def steady(base: str, requests: list[dict[str, Any]], rate: float, seconds: int) -> dict:
    """benchmarks.loadgen in its own process, at a constant arrival rate."""
    spec = {"base": base, "rate": rate, "duration": seconds, "requests": requests}
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    ).stdout
    return json.loads(output)


def get_request(page: Page, cookie: str) -> dict[str, Any]:
    headers = {"Cookie": cookie, **stack.PROXY_HEADERS}
    return {"name": page.name, "method": "GET", "path": page.path, "headers": headers}


def signed_in(pages: list[Page]) -> dict[Page, str]:
    """Each page's data built, and a session cookie for whoever views it."""
    cookies: dict[Callable[[], User], str] = {}
    for page in pages:
        if page.viewer not in cookies:
            cookies[page.viewer] = stack.session_cookie(page.viewer())
    return {page: cookies[page.viewer] for page in pages}


def check_pages(base: str, cookies: dict[Page, str]) -> None:
    """Each page answers 200 to its viewer, so no redirect is measured instead."""
    for page, cookie in cookies.items():
        response = stack.get(base + page.path, {"Cookie": cookie})
        if response.status != 200:
            raise RuntimeError(f"{page.path} answered {response.status}, not 200")


# --- The benchmark --------------------------------------------------------------------


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def run() -> Section:
    cookies = signed_in([BARE, *PAGES])
    web = stack.start_web()
    try:
        check_pages(web.base, cookies)
        results: dict[Page, tuple[dict, dict]] = {}
        floors: dict[Page, dict] = {}
        loads: dict[Page, float] = {}
        for page in [BARE, *PAGES]:
            print(f"pages: {page.name} ({page.path}) ...", flush=True)
            if page is not BARE:
                # The floor again, just before: this machine's speed drifts within
                # minutes, so each page is compared with the bare view beside it.
                floors[page] = wrk(web, BARE.path, cookies[BARE], MAX_SECONDS)
                print(f"  bare view beside it: {floors[page]['rps']:.0f} req/s", flush=True)
            wrk(web, page.path, cookies[page], 2)  # warm up: connections, caches
            most = wrk(web, page.path, cookies[page], MAX_SECONDS)
            at_rate = steady(
                web.base, [get_request(page, cookies[page])], STEADY_RATE, STEADY_SECONDS
            )
            results[page] = (most, at_rate)
            loads[page] = os.getloadavg()[0]
            print(
                f"  {most['rps']:.0f} req/s, p95 {ms(most['p95_us'])} ms at max; "
                f"p95 {at_rate['all']['p95_ms']:.1f} ms at {STEADY_RATE} req/s",
                flush=True,
            )
        restarts = web.service.log_count(r"Booting worker") - int(
            os.environ.get("WEB_CONCURRENCY", "3")
        )
        # What gunicorn itself answered, to tell its errors from the load generators'.
        log = web.service.log.read_text(errors="replace")
        answers = Counter(re.findall(r'" (\d{3}) \S+ \d+ms$', log, re.MULTILINE))
    finally:
        web.service.stop()
    return Section("Pages", report(results, floors, loads, restarts, answers))


def error_kinds(most: dict, at_rate: dict) -> str:
    """Where a page's errors came from: wrk's socket errors by kind, answers other
    than 200, and the steady load's failures."""
    kinds = [(kind, most[kind]) for kind in ("connect", "read", "write", "timeout")]
    kinds += [("not 200", most["not_ok"]), ("steady", at_rate["all"]["errors"])]
    return ", ".join(f"{count} {kind}" for kind, count in kinds if count)


def report(
    results: dict[Page, tuple[dict, dict]],
    floors: dict[Page, dict],
    loads: dict[Page, float],
    restarts: int,
    answers: Counter,
):
    rows, failures = [], []
    for page, (most, at_rate) in results.items():
        bare = floors.get(page, most)
        bare_rps = bare["rps"]
        share = most["rps"] / bare_rps
        steady_p95 = at_rate["all"]["p95_ms"]
        errors = most["socket_errors"] + most["not_ok"] + at_rate["all"]["errors"]
        met = page is BARE or (share >= MIN_SHARE_OF_BARE and steady_p95 < MAX_STEADY_P95_MS)
        if not met or errors:
            failures.append(page.name)
        rows.append(
            [
                f"{page.name} `{page.path}`",
                f"{most['rps']:,.0f}",
                f"{bare_rps:,.0f}",
                "100%" if page is BARE else f"{share:.0%}",
                ms(most["p50_us"]),
                ms(most["p95_us"]),
                ms(most["p99_us"]),
                f"{steady_p95:.1f}",
                f"{errors} ({error_kinds(most, at_rate)})" if errors else "0",
                "" if page is BARE else ("yes" if met else "**no**"),
                f"{most['cpu_ms']:.1f} ({bare['cpu_ms'] / most['cpu_ms']:.0%})",
                f"{loads[page]:.2f}",
            ]
        )
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    header = [
        "page",
        "max req/s",
        "bare req/s beside it",
        "of bare",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        f"p95 ms at {STEADY_RATE} req/s",
        "errors",
        "target met",
        "CPU ms a request (bare's share)",
        "load",
    ]
    return "\n".join(
        [
            measured_on(),
            "",
            f"gunicorn with the production config ({workers} sync workers) and production "
            "settings, signed in, loaded over loopback from separate processes: "
            f"wrk ({CONNECTIONS} connections, {MAX_SECONDS} s after a 2 s warm-up) for the "
            "most requests per second and the latency while serving them; then "
            f"`benchmarks/loadgen.py` at a constant {STEADY_RATE} requests a second for "
            f"{STEADY_SECONDS} s, latency counted from when each request was due. The bare "
            "view answers from the same gunicorn through the same middleware (which reads "
            "the session and the user); it is measured again just before each page, and "
            "each page's share is of that figure, as this machine's speed drifts within "
            "minutes. Targets: each page at least "
            f"{MIN_SHARE_OF_BARE:.0%} of the bare view's requests per second, and p95 "
            f"under {MAX_STEADY_P95_MS:.0f} ms at {STEADY_RATE} requests a second. "
            "Every request draws its page (there is no page cache). CPU ms a request: the "
            "CPU time gunicorn and PostgreSQL spent during the wrk run, a request, with the "
            "bare view's as a share of it (steadier than requests a second when other work "
            "shares the machine). The load column is the 1-minute load average (`uptime`) "
            "after each page's runs (2 cores).",
            "",
            table(header, rows),
            "",
            f"gunicorn workers restarted during the run (max_requests): {max(restarts, 0)}. "
            "Answers in gunicorn's access log: "
            + ", ".join(f"{status}: {n:,}" for status, n in sorted(answers.items()))
            + ".",
            "All targets met."
            if not failures
            else f"Targets missed or errors: {', '.join(failures)}.",
            "",
        ]
    )
