"""The reminder sweep on its own: claim and queue 10,000 due reminders out of 100,000
schedules, against the floor of a plain indexed SELECT of the same rows.
Part of the reminders benchmark (benchmarks/reminders.py)."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from plans import reminders
from plans.models import CheckInSchedule, Reminder

SCHEDULES = int(os.environ.get("BENCH_SCHEDULES", "100000"))
DUE = int(os.environ.get("BENCH_DUE", "10000"))


def build(now: datetime, *, prefix: str = "bench", count: int = SCHEDULES, due: int = DUE) -> None:
    """Members with a schedule each, `due` of them due 30 s before `now`. Rows made
    by PostgreSQL itself, so the process measured stays small."""
    # Every column the model has, at its default (a column added to User later is
    # filled too), but for these.
    from recovery_support.models import User

    values = {
        field.column: field.get_default()
        for field in User._meta.concrete_fields
        if not field.primary_key
    }
    values |= {"password": "!", "time_zone": "Europe/Berlin", "date_joined": now}
    values.pop("email")
    columns = ", ".join(connection.ops.quote_name(column) for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO recovery_support_user ({columns}, email) "  # noqa: S608 (our columns)
            f"SELECT {', '.join(['%s'] * len(values))}, %s || g || '@example.org' "
            "FROM generate_series(1, %s) AS g",
            [*values.values(), prefix, count],
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


FLOOR_MESSAGE = b"x" * 200  # about a task message's size


def floor(now: datetime) -> float:
    """What the database and Redis need for the sweep's work, done by hand and rolled
    back: claim the due schedules with FOR UPDATE SKIP LOCKED, insert a reminder for
    each, move each schedule on, push one message per reminder in one Redis pipeline.
    The median of three runs."""
    from django.conf import settings
    from redis import Redis

    redis = Redis.from_url(settings.CELERY_BROKER_URL)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, next_due_at FROM plans_checkinschedule "
                "WHERE NOT paused AND next_due_at <= %s ORDER BY next_due_at "
                "FOR UPDATE SKIP LOCKED",
                [now],
            )
            rows = cursor.fetchall()
            ids = [pk for pk, _ in rows]
            cursor.execute(
                "INSERT INTO plans_reminder (schedule_id, due_at, status, queued_at) "
                "SELECT id, %s, 'pending', %s FROM unnest(%s::bigint[]) AS id",
                [now, now, ids],
            )
            cursor.execute(
                "UPDATE plans_checkinschedule SET next_due_at = next_due_at + interval '1 day' "
                "WHERE id = ANY(%s)",
                [ids],
            )
            pipeline = redis.pipeline(transaction=False)
            for _ in ids:
                pipeline.lpush("bench-floor", FLOOR_MESSAGE)
            pipeline.execute()
            runs.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        redis.delete("bench-floor")
        assert len(ids) == DUE, (len(ids), DUE)
    return sorted(runs)[1]


def measure(now: datetime) -> SweepFigures:
    """Sweep everything due at `now` in this process, as beat's task would, in batches."""
    plan = explain(now)
    floor_seconds = floor(now)
    _warm_up()

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    queued = 0
    while batch := reminders.dispatch_due_reminders(now=now):
        queued += batch
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pending = Reminder.objects.filter(status="pending").count()
    assert queued == DUE == pending, (queued, DUE, pending)
    return SweepFigures(elapsed, floor_seconds, before, peak, plan)


def _warm_up() -> None:
    """What the worker running beat's task has done before its first sweep, and a
    fresh process does at its first (0.3 s here): the Celery app finalized, the
    delivery task imported, a connection to Redis in the producer pool. The floor's
    runs are warm too (the median of three)."""
    from plans.tasks import deliver_reminders

    deliver_reminders.app.finalize()
    with deliver_reminders.app.producer_or_acquire():
        pass


def rows(figures: SweepFigures) -> list[list[str]]:
    elapsed, floor_seconds = figures.seconds, figures.floor_seconds
    return [
        ["schedules / due", f"{SCHEDULES:,} / {DUE:,}"],
        [
            f"claim and queue all due reminders (sweep batches of {reminders.SWEEP_BATCH:,}, "
            f"a task per {reminders.DELIVERY_BATCH})",
            f"{elapsed:.2f} s ({DUE / elapsed:,.0f} reminders/s)",
        ],
        [
            "floor: claim (FOR UPDATE SKIP LOCKED), insert, move on, one Redis pipeline of "
            f"{DUE:,} messages (median of 3)",
            f"{floor_seconds:.2f} s",
        ],
        ["sweep / floor (target: at most 3)", f"{elapsed / floor_seconds:.1f} times"],
        [
            "peak memory of the sweep process",
            f"{figures.memory_peak / 1024:.0f} MiB "
            f"(before the sweep: {figures.memory_before / 1024:.0f} MiB)",
        ],
    ]
