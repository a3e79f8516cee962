"""The reminder sweep on its own: claim and queue 10,000 due reminders out of 100,000
schedules, against the floor of a plain indexed SELECT of the same rows.
Part of the reminders benchmark (benchmarks/reminders.py)."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from plans import reminders
from plans.models import CheckInSchedule, Reminder

SCHEDULES = int(os.environ.get("BENCH_SCHEDULES", "100000"))
DUE = int(os.environ.get("BENCH_DUE", "10000"))


def build(now: datetime, *, prefix: str = "bench", count: int = SCHEDULES, due: int = DUE) -> None:
    """Members with a schedule each, `due` of them due 30 s before `now`. Rows made
    by PostgreSQL itself, so the process measured stays small."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO recovery_support_user (password, is_superuser, email, display_name,
                time_zone, is_professional, is_staff, is_active, date_joined)
            SELECT '!', false, %s || g || '@example.org', '', 'Europe/Berlin', false,
                false, true, now()
            FROM generate_series(1, %s) AS g
            """,
            [prefix, count],
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
            FROM recovery_support_user WHERE email LIKE %s
            """,
            [due, now, now, f"{prefix}%@example.org"],
        )
        cursor.execute("ANALYZE plans_checkinschedule")


def explain(now: datetime) -> str:
    query = CheckInSchedule.objects.filter(paused=False, next_due_at__lte=now).order_by(
        "next_due_at"
    )[: reminders.SWEEP_BATCH]
    return query.explain()


@dataclass(frozen=True)
class SweepFigures:
    seconds: float
    floor_seconds: float
    memory_before: int  # peak resident memory of this process, KiB
    memory_peak: int
    plan: str


def measure(now: datetime) -> SweepFigures:
    """Sweep everything due at `now` in this process, as beat's task would, in batches."""
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
    pending = Reminder.objects.filter(status="pending").count()
    assert queued == DUE == pending, (queued, DUE, pending)
    return SweepFigures(elapsed, floor, before, peak, plan)


def rows(figures: SweepFigures) -> list[list[str]]:
    elapsed, floor = figures.seconds, figures.floor_seconds
    return [
        ["schedules / due", f"{SCHEDULES:,} / {DUE:,}"],
        [
            f"claim and queue all due reminders (sweep batches of {reminders.SWEEP_BATCH})",
            f"{elapsed:.2f} s ({DUE / elapsed:,.0f} reminders/s)",
        ],
        ["plain indexed SELECT of the same rows (floor)", f"{floor * 1000:.0f} ms"],
        ["sweep / floor", f"{elapsed / floor:.0f} times"],
        [
            "peak memory of the sweep process",
            f"{figures.memory_peak / 1024:.0f} MiB "
            f"(before the sweep: {figures.memory_before / 1024:.0f} MiB)",
        ],
    ]
