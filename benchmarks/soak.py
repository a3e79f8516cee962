"""Benchmark: a soak. The pages of benchmarks/pages.py and check-in POSTs at a
steady rate for 10 minutes (BENCH_SOAK_SECONDS to change it), while Celery beat
sweeps reminders that fall due all through the run and a worker emails them to an
SMTP sink. Nothing may fail; each process's memory is read at the start and end.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from benchmarks import pages, stack, sweep
from benchmarks.report import Section, measured_on, table
from plans.models import Reminder
from recovery_support.models import User
from recovery_support.push.models import Notice
from tests.smtp_sink import SmtpSink

DEFAULT_SECONDS = 600
SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", str(DEFAULT_SECONDS)))
# The page benchmark's steady rate by default: the soak checks that rate holds.
RATE = float(os.environ.get("BENCH_SOAK_RATE", str(pages.STEADY_RATE)))
REMINDERS_PER_SECOND = 5
# Reminders of the other kinds (push/notices.py): a nudge, a follow-up or a meeting.
NOTICES_PER_SECOND = 1
NOTICE_KINDS = ["contact_nudge", "followup", "meeting"]
WARM_UP_SECONDS = 5
# Beat sweeps once a minute: reminders that fell due near the end get this long to arrive.
DRAIN_SECONDS = 90


def build_reminders(start: Any, count: int) -> None:
    """`count` members whose reminders fall due evenly through the soak."""
    sweep.build(start, prefix="soak", count=count, due=0)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE plans_checkinschedule AS s
            SET next_due_at = %s + (v.n - 1) * %s * interval '1 second'
            FROM (
                SELECT c.id, row_number() OVER (ORDER BY c.id) AS n
                FROM plans_checkinschedule c
                JOIN recovery_support_user u ON u.id = c.owner_id
                WHERE u.email LIKE 'soak%%@example.org'
            ) AS v
            WHERE s.id = v.id
            """,
            [start, SECONDS / count],
        )


def build_notices(start: Any, count: int) -> None:
    """`count` reminders of the other kinds, to the soak's members, falling due evenly
    through the soak (as the nudge sweep records them), for beat's notice sweep."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO push_notice (recipient_id, kind, key, due_at, status)
            SELECT u.id, (%s::text[])[1 + u.n %% %s], 'soak-' || u.n,
                %s + (u.n - 1) * %s * interval '1 second', 'pending'
            FROM (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM recovery_support_user
                WHERE email LIKE 'soak%%@example.org'
            ) AS u
            WHERE u.n <= %s
            """,
            [NOTICE_KINDS, len(NOTICE_KINDS), start, SECONDS / count, count],
        )


def checkin_member() -> User:
    """Who posts the check-ins: a member of their own, as the check-ins of many members
    arrive while others read their pages. (A member's own check-in makes their next
    page view draw afresh: it changes what their pages may show.)"""
    user, _ = User.objects.get_or_create(
        email="bench-checkin@example.org",
        defaults={"display_name": "Jo", "time_zone": settings.DEFAULT_MEMBER_TIME_ZONE},
    )
    return user


def checkin_post(cookie: str, port: int) -> dict[str, Any]:
    """A check-in as a browser without JavaScript posts it: form, CSRF cookie and field,
    and the Origin header that Django checks on HTTPS."""
    secret = stack.csrf_secret(cookie)
    headers = {
        "Cookie": cookie,
        "Origin": f"https://127.0.0.1:{port}",
        "Content-Type": "application/x-www-form-urlencoded",
        **stack.PROXY_HEADERS,
    }
    body = f"csrfmiddlewaretoken={secret}&mood=4&craving=2&meeting_attended=on"
    return {
        "name": "check-in POST",
        "method": "POST",
        "path": "/plan/checkin/",
        "headers": headers,
        "body": body,
        "ok": [302],
    }


def memory(web: stack.Service, worker: stack.Service, beat: stack.Service) -> dict[str, list]:
    """Resident memory of every process in the stack, by role."""
    gunicorn = stack.family(web.process.pid)
    return {
        "gunicorn master": stack.rss(gunicorn[:1]),
        "gunicorn workers": stack.rss(gunicorn[1:]),
        "celery worker (main + pool)": stack.rss(stack.family(worker.process.pid)),
        "celery beat": stack.rss(stack.family(beat.process.pid)),
        "postgres (all its processes)": stack.rss(stack.postgres_processes()),
        "redis": stack.rss(stack.redis_processes()),
    }


def describe(sizes: list[int]) -> str:
    if not sizes:
        return "not found"
    if len(sizes) == 1:
        return stack.mib(sizes[0])
    return f"{stack.mib(sum(sizes))} ({len(sizes)} processes, largest {stack.mib(max(sizes))})"


def run() -> Section:
    cookies = pages.signed_in(pages.PAGES)
    count = REMINDERS_PER_SECOND * SECONDS
    notice_count = NOTICES_PER_SECOND * SECONDS
    with SmtpSink() as sink:
        web = stack.start_web()
        worker = stack.start_worker(sink.port)
        beat = None
        try:
            pages.check_pages(web.base, cookies)
            mix = [pages.get_request(page, cookie) for page, cookie in cookies.items()]
            mix.append(checkin_post(stack.session_cookie(checkin_member()), web.port))
            beat = stack.start_beat()
            pages.steady(web.base, mix, RATE, WARM_UP_SECONDS)
            start = timezone.now() + timedelta(seconds=5)
            build_reminders(start, count)
            build_notices(start, notice_count)
            at_start = memory(web.service, worker, beat)
            print(f"soak: {SECONDS} s at {RATE:g} req/s with {count:,} reminders ...", flush=True)
            traffic = pages.steady(web.base, mix, RATE, SECONDS)
            at_end = memory(web.service, worker, beat)
            finished = timezone.now()
            spacing = SECONDS / count
            due = min(count, int((finished - start).total_seconds() // spacing) + 1)
            # Beat's next sweep claims what fell due in the last minute; wait for it.
            in_soak = Reminder.objects.filter(due_at__gte=start, due_at__lte=finished)
            deadline = time.monotonic() + DRAIN_SECONDS
            while in_soak.filter(status="sent").count() < due and time.monotonic() < deadline:
                worker.check()
                beat.check()
                time.sleep(0.5)
            notices_due = Notice.objects.filter(key__startswith="soak-", due_at__lte=finished)
            deadline = time.monotonic() + DRAIN_SECONDS
            while notices_due.exclude(status="sent").exists() and time.monotonic() < deadline:
                worker.check()
                beat.check()
                time.sleep(0.5)
            notices_fell_due = notices_due.count()
            notices_not_sent = notices_due.exclude(status="sent").count()
            claimed = in_soak.count()
            not_sent = due - in_soak.filter(status="sent").count()
            # An email is handed over before its row is marked sent, never after.
            sent_total = Reminder.objects.filter(due_at__gte=start, status="sent").count()
            worker_errors = worker.log_count(r"ERROR|Traceback|Retry in")
            server_errors = web.service.log_count(r'" 5\d\d ')
        finally:
            for service in (beat, worker, web.service):
                if service is not None:
                    service.stop()
        ids = [message["Message-ID"] for message in sink.messages]
        received = sum(1 for message_id in ids if message_id.startswith("<reminder-"))
        notices_received = sum(1 for message_id in ids if message_id.startswith("<notice-"))
        duplicates = len(ids) - len(set(ids))
    errors = {
        "HTTP errors": traffic["all"]["errors"],
        "5xx in the access log": server_errors,
        "errors or retries in the worker log": worker_errors,
        "duplicate emails": duplicates,
        "reminders marked sent without an email": max(0, sent_total - received),
        "reminders due but not sent": not_sent,
        "other reminders due but not sent": notices_not_sent,
    }
    print(f"soak: {sum(errors.values())} errors", flush=True)
    reminder_rows = [
        ["fell due during the soak", f"{due:,}"],
        ["claimed by beat's sweeps", f"{claimed:,}"],
        [
            f"emails received (up to {DRAIN_SECONDS} s after the end, with later ones)",
            f"{received:,}",
        ],
        [
            f"other reminders ({', '.join(NOTICE_KINDS)}) fell due / emails received",
            f"{notices_fell_due:,} / {notices_received:,}",
        ],
    ]
    return Section("Soak", report(traffic, at_start, at_end, count, reminder_rows, errors))


def report(
    traffic: dict,
    at_start: dict[str, list],
    at_end: dict[str, list],
    count: int,
    reminder_rows: list[list[str]],
    errors: dict[str, int],
) -> str:
    traffic_rows = [
        [
            name,
            f"{figures['count']:,}",
            f"{figures['p50_ms']:.1f}",
            f"{figures['p95_ms']:.1f}",
            f"{figures['p99_ms']:.1f}",
            f"{figures['max_ms']:.0f}",
            str(figures["errors"]),
        ]
        for name, figures in [*traffic["by_name"].items(), ("all", traffic["all"])]
    ]
    memory_rows = [[role, describe(at_start[role]), describe(at_end[role])] for role in at_start]
    shortened = (
        f" (shortened with BENCH_SOAK_SECONDS; the default is {DEFAULT_SECONDS} s)"
        if SECONDS != DEFAULT_SECONDS
        else " (the default; BENCH_SOAK_SECONDS changes it)"
    )
    samples = traffic["error_samples"]
    return "\n".join(
        [
            measured_on(),
            "",
            f"{SECONDS} s{shortened} at a constant {RATE:g} requests a second "
            f"(achieved {traffic['achieved_rate']:.1f}), round-robin over the pages of the "
            "page benchmark and a check-in POST by another member (form with CSRF, as "
            "without JavaScript), "
            "through gunicorn with production settings. Meanwhile "
            f"{count:,} reminders fall due evenly through the run ({REMINDERS_PER_SECOND} "
            "a second), and reminders of the other kinds (a nudge, a follow-up, a meeting; "
            f"{NOTICES_PER_SECOND} a second); Celery beat sweeps both every minute and a "
            "worker emails them, a batch per task, to an SMTP sink on loopback.",
            "",
            table(
                ["requests", "sent", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"],
                traffic_rows,
            ),
            "",
            table(["reminders", "count"], reminder_rows),
            "",
            f"**Errors: {sum(errors.values())}** ("
            + ", ".join(f"{what} {n}" for what, n in errors.items())
            + ")."
            + (f" First failures: {', '.join(samples)}." if samples else ""),
            "",
            "Resident memory (RSS) of each process, after a "
            f"{WARM_UP_SECONDS} s warm-up and at the end (postgres counts its shared buffers "
            "once in each of its processes; gunicorn replaces a worker after about 2,000 "
            "requests):",
            "",
            table(["process", "at start", "at end"], memory_rows),
        ]
    )
