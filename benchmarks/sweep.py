"""Benchmark: the reminder sweep with 100,000 schedules of which 10,000 are due.

Run with `make bench` (throwaway PostgreSQL and Redis). Prints its figures and
writes them to docs/benchmarks.md.
"""

import os
import platform
import resource
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_support.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from plans import reminders  # noqa: E402
from plans.models import CheckInSchedule, Reminder  # noqa: E402

SCHEDULES = int(os.environ.get("BENCH_SCHEDULES", "100000"))
DUE = int(os.environ.get("BENCH_DUE", "10000"))
OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def build(now) -> None:
    """Rows made by PostgreSQL itself, so the process measured stays small."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO recovery_support_user (password, is_superuser, email, display_name,
                time_zone, is_professional, is_staff, is_active, date_joined)
            SELECT '!', false, 'bench' || g || '@example.org', '', 'Europe/Berlin', false,
                false, true, now()
            FROM generate_series(1, %s) AS g
            """,
            [SCHEDULES],
        )
        cursor.execute(
            """
            INSERT INTO plans_checkinschedule (owner_id, weekdays, local_time, channel, paused,
                next_due_at, created_at)
            SELECT id, '{}', '09:00', 'email', false,
                CASE WHEN row_number() OVER (ORDER BY id) <= %s
                     THEN %s - interval '30 seconds'
                     ELSE %s + (1 + id %% 20) * interval '1 hour' END,
                now()
            FROM recovery_support_user WHERE email LIKE 'bench%%'
            """,
            [DUE, now, now],
        )
        cursor.execute("ANALYZE plans_checkinschedule")


def explain(now) -> str:
    query = CheckInSchedule.objects.filter(paused=False, next_due_at__lte=now).order_by(
        "next_due_at"
    )[: reminders.SWEEP_BATCH]
    return query.explain()


def main() -> int:
    call_command("migrate", verbosity=0)
    now = timezone.now()
    started = time.perf_counter()
    build(now)
    print(f"built {SCHEDULES} schedules ({DUE} due) in {time.perf_counter() - started:.1f}s")
    plan = explain(now)

    floor_started = time.perf_counter()
    list(
        CheckInSchedule.objects.filter(paused=False, next_due_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    floor = time.perf_counter() - floor_started

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    queued = 0
    while batch := reminders.dispatch_due_reminders(now=now):
        queued += batch
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert queued == DUE == Reminder.objects.filter(status="pending").count(), queued

    lines = [
        "## Reminder sweep",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), "
        "PostgreSQL and Redis on loopback (`make bench`).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| schedules / due | {SCHEDULES:,} / {DUE:,} |",
        f"| claim and queue all due reminders (sweep batches of {reminders.SWEEP_BATCH}) "
        f"| {elapsed:.2f} s ({DUE / elapsed:,.0f} reminders/s) |",
        f"| plain indexed SELECT of the same rows (floor) | {floor * 1000:.0f} ms |",
        f"| sweep / floor | {elapsed / floor:.0f} times |",
        f"| peak memory of the sweep process | {peak / 1024:.0f} MiB "
        f"(before the sweep: {before / 1024:.0f} MiB) |",
        "",
        "The sweep's query plan:",
        "",
        "```",
        plan,
        "```",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("# Benchmarks\n\nFigures from `make bench`, as printed.\n\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
