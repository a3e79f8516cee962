"""Benchmark: 10,000 due reminders from the sweep to an inbox.

1. The sweep alone (benchmarks/sweep.py): claim and queue them in this process,
   against the floor of a plain indexed SELECT.
2. End to end: the same 10,000 due again, a real Celery worker (as docker-compose
   runs it) delivering to an SMTP sink on loopback while the sweep queues; the clock
   stops when the last email has arrived.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

from benchmarks import stack, sweep
from benchmarks.report import Section, measured_on, table
from plans import reminders
from plans.models import CheckInSchedule, Reminder
from recovery_support.celery import app
from tests.smtp_sink import SmtpSink

DELIVERY_TIMEOUT = 30 * 60


def run() -> Section:
    now = timezone.now()
    started = time.perf_counter()
    sweep.build(now, prefix="sweep")
    built_in = time.perf_counter() - started
    print(f"reminders: built {sweep.SCHEDULES:,} schedules in {built_in:.0f} s", flush=True)
    figures = sweep.measure(now)
    print(f"reminders: sweep alone {figures.seconds:.2f} s", flush=True)

    # Start over with the same schedules due, and nothing queued.
    due_ids = list(Reminder.objects.values_list("schedule_id", flat=True))
    app.control.purge()
    Reminder.objects.all().delete()
    CheckInSchedule.objects.filter(pk__in=due_ids).update(
        next_due_at=timezone.now() - timedelta(seconds=30)
    )

    with SmtpSink() as sink:
        worker = stack.start_worker(sink.port)
        try:
            processes = stack.family(worker.process.pid)
            idle = sum(stack.rss(processes))
            started = time.perf_counter()
            while reminders.dispatch_due_reminders():
                pass
            queued_in = time.perf_counter() - started

            def all_arrived() -> bool:
                worker.check()
                return len(sink.messages) >= sweep.DUE

            last_report = 0.0
            deadline = started + DELIVERY_TIMEOUT
            while not all_arrived():
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{len(sink.messages)} emails of {sweep.DUE} arrived")
                if time.perf_counter() - last_report > 10:
                    last_report = time.perf_counter()
                    print(f"  {len(sink.messages):,} emails so far", flush=True)
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            peaks = stack.peak_rss(processes)
            failures = worker.log_count(r"ERROR|Traceback|Retry in")
        finally:
            worker.stop()
        recipients = {message["To"] for message in sink.messages}
        received = len(sink.messages)
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    concurrency = len(processes) - 1
    rows = [
        *sweep.rows(figures),
        [
            f"end to end: sweep, {concurrency} worker processes, SMTP on loopback",
            f"{elapsed:.1f} s ({sweep.DUE / elapsed:,.0f} reminders/s)",
        ],
        ["of which the sweep had queued them all after", f"{queued_in:.1f} s"],
        [
            "emails received / distinct recipients / reminders marked sent",
            f"{received:,} / {len(recipients):,} / {sent:,}",
        ],
        ["errors and retries in the worker log", str(failures)],
        [
            "peak memory of the worker processes (main + pool)",
            f"{stack.mib(sum(peaks))} ({' + '.join(stack.mib(p) for p in peaks)}; "
            f"{stack.mib(idle)} when idle)",
        ],
    ]
    body = "\n".join(
        [
            measured_on(),
            "",
            table(["figure", "value"], rows),
            "",
            f"The sweep alone runs in this process with no worker. End to end starts over "
            f"with the same {sweep.DUE:,} due: the worker is started as docker-compose runs "
            "it (`celery -A recovery_support worker`, one pool process per core), with "
            "production settings; the sweep runs in batches of "
            f"{reminders.SWEEP_BATCH:,} back to back, as one beat run does; the clock stops "
            "at the last email received.",
            "",
            "The sweep's query plan:",
            "",
            "```",
            figures.plan,
            "```",
        ]
    )
    return Section("Reminders", body)
