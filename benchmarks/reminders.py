"""Benchmark: 10,000 due reminders from the sweep to an inbox, and to a phone.

1. The sweep alone (benchmarks/sweep.py): claim and queue them in this process,
   against its floor, measured beside it: the same claim, insert, move and one Redis
   pipeline done by hand.
2. End to end by email: the same 10,000 due again, a real Celery worker (as
   docker-compose runs it) delivering to an SMTP sink on loopback while the sweep
   queues; the clock stops when the last email has arrived.
3. End to end by push: the same 10,000 due again, each member with one device and
   push chosen for check-ins, the worker pushing to our push service on loopback (in a
   process of its own, decrypting each message); the clock stops when the last
   notification has been read.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import psutil
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPusher

from benchmarks import stack, sweep
from benchmarks.report import Section, measured_on, table
from plans import reminders
from plans.models import CheckInSchedule, Reminder
from recovery_support.celery import app
from recovery_support.devstack import free_port
from recovery_support.push import services as push_services
from recovery_support.push.models import DeliveryChoices, PushSubscription
from tests.smtp_sink import SmtpSink

DELIVERY_TIMEOUT = 30 * 60
VAPID_SUBJECT = "mailto:care@example.org"


@dataclass
class EndToEnd:
    seconds: float
    queued_in: float
    received: int
    distinct: int
    marked_sent: int
    failures: int
    processes: int
    peaks: list[int]
    idle: int
    cpu: dict[str, float]  # CPU seconds spent by each party while delivering

    @property
    def rate(self) -> float:
        return sweep.DUE / self.seconds

    def cpu_row(self) -> list[str]:
        """CPU ms a reminder, by party, against what the cores give at this rate."""
        each = {name: seconds * 1000 / sweep.DUE for name, seconds in self.cpu.items()}
        given = psutil.cpu_count() * 1000 / self.rate
        return [
            f"CPU ms a reminder: {' / '.join(each)}",
            f"{' / '.join(f'{ms:.2f}' for ms in each.values())} (in all "
            f"{sum(each.values()):.2f}; the cores give {given:.2f} at this rate)",
        ]


def _due_again(schedule_ids: list[int]) -> None:
    """Start over with the same schedules due, and nothing queued."""
    app.control.purge()
    Reminder.objects.all().delete()
    CheckInSchedule.objects.filter(pk__in=schedule_ids).update(
        next_due_at=timezone.now() - timedelta(seconds=30)
    )


def _deliver(
    sink: SmtpSink,
    arrived: Callable[[], int],
    distinct: Callable[[], int],
    others: dict[str, list[psutil.Process]],
    **env: str,
) -> EndToEnd:
    """Sweep as one beat run does while a worker delivers; stop at the last arrival.
    The CPU each party spends meanwhile is read too: the worker, PostgreSQL, Redis,
    this process (the sweep, and the SMTP sink's threads) and `others`."""
    worker = stack.start_worker(sink.port, **env)
    try:
        pool = settings.CELERY_WORKER_CONCURRENCY  # the worker's too: the same environment
        stack.wait_until(
            lambda: len(stack.family(worker.process.pid)) > pool, timeout=60, what="no pool"
        )
        processes = stack.family(worker.process.pid)
        idle = sum(stack.rss(processes))
        parties = {
            "worker": processes,
            "PostgreSQL": stack.postgres_processes(),
            "Redis": stack.redis_processes(),
            "this process": [psutil.Process()],
            **others,
        }
        before = {name: stack.cpu_seconds(party) for name, party in parties.items()}
        started = time.perf_counter()
        while reminders.dispatch_due_reminders():
            pass
        queued_in = time.perf_counter() - started
        last_report, deadline = 0.0, started + DELIVERY_TIMEOUT
        while (count := arrived()) < sweep.DUE:
            worker.check()
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{count} of {sweep.DUE} arrived")
            if time.perf_counter() - last_report > 10:
                last_report = time.perf_counter()
                print(f"  {count:,} so far", flush=True)
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu = {
            name: stack.cpu_used(before[name], stack.cpu_seconds(party))
            for name, party in parties.items()
        }
        peaks = stack.peak_rss(processes)
        time.sleep(2)  # anything sent twice arrives now
        failures = worker.log_count(r"ERROR|Traceback|Retry in|failed:")
    finally:
        worker.stop()
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    return EndToEnd(
        elapsed,
        queued_in,
        arrived(),
        distinct(),
        sent,
        failures,
        len(processes) - 1,
        peaks,
        idle,
        cpu,
    )


def _by_email(due_ids: list[int]) -> tuple[EndToEnd, bytes]:
    """The figures, and one of the emails as it arrived."""
    _due_again(due_ids)
    with SmtpSink() as sink:
        figures = _deliver(
            sink,
            arrived=lambda: len(sink.received),
            distinct=lambda: len({message["To"] for message in sink.messages}),
            others={},
        )
        return figures, sink.received[0]


def _email_floor(sample: bytes) -> float:
    """Seconds to hand the same number of emails, already built (`sample`), to a sink
    like the one above, from as many processes as the worker has, a connection per
    delivery batch: what this machine allows with no database, Celery or building."""
    processes = settings.CELERY_WORKER_CONCURRENCY
    each = sweep.DUE // processes
    with tempfile.NamedTemporaryFile(suffix=".eml") as file, SmtpSink() as sink:
        file.write(sample)
        file.flush()
        started = time.perf_counter()
        shares = [(k * each, each) for k in range(processes - 1)]
        shares.append(((processes - 1) * each, sweep.DUE - (processes - 1) * each))
        command = [sys.executable, "-m", "benchmarks.smtp_floor", str(sink.port)]
        batch = str(reminders.DELIVERY_BATCH)
        senders = [
            subprocess.Popen(
                [*command, str(first), str(count), batch, file.name], cwd=stack.PROJECT_DIR
            )
            for first, count in shares
        ]
        stack.wait_until(lambda: len(sink.received) >= sweep.DUE, timeout=600, what="floor")
        seconds = time.perf_counter() - started
        for sender in senders:
            sender.wait(timeout=60)
    return seconds


def _vapid_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64urlencode(key.private_numbers().private_value.to_bytes(32, "big"))


@contextlib.contextmanager
def _push_service(name: str) -> Iterator[tuple[Callable[[str], Any], psutil.Process]]:
    """Our push service on loopback, in a process of its own (its log named `name`, one
    for each); yields a way to ask it, and its process."""
    port = free_port()
    service = stack.start(
        name, [sys.executable, "-m", "tests.push_service", str(port)], stack.child_env()
    )

    def ask(path: str):
        # Only our own push service on loopback.
        url = f"http://127.0.0.1:{port}{path}"
        with urllib.request.urlopen(url, timeout=60) as answer:
            return json.loads(answer.read())

    try:
        stack.wait_until(
            lambda: service.log_count("push service on") > 0, timeout=30, what="no push service"
        )
        yield ask, psutil.Process(service.process.pid)
    finally:
        service.stop()


def _by_push(due_ids: list[int], vapid_key: str) -> EndToEnd:
    """Each member due gets one device at the loopback push service, and push only."""
    _due_again(due_ids)
    owners = list(CheckInSchedule.objects.filter(pk__in=due_ids).values_list("owner_id", flat=True))
    try:
        with _push_service("push-service") as (ask, service), SmtpSink() as sink:
            subscriptions = ask(f"/subscriptions?count={len(owners)}")
            PushSubscription.objects.bulk_create(
                PushSubscription(owner_id=owner, device_name="Phone", **subscription)
                for owner, subscription in zip(owners, subscriptions, strict=True)
            )
            DeliveryChoices.objects.bulk_create(
                DeliveryChoices(owner_id=owner, channels={"checkin": "push"}) for owner in owners
            )
            figures = _deliver(
                sink,
                arrived=lambda: ask("/received")["received"],
                distinct=lambda: ask("/received")["distinct"],
                others={"push service": [service]},
                VAPID_PRIVATE_KEY=vapid_key,
                VAPID_SUBJECT=VAPID_SUBJECT,
            )
            assert sink.messages == [], "push only was chosen: no email"
        return figures
    finally:
        PushSubscription.objects.filter(owner_id__in=owners).delete()
        DeliveryChoices.objects.filter(owner_id__in=owners).delete()


def _push_floor(vapid_key: str) -> float:
    """Seconds to post the same number of notifications, already encrypted and signed
    (one, the check-in's, posted again and again to one device), to a push service
    like the one above, from as many processes as the worker has, each over one
    kept-alive connection: what this machine allows with no database, Celery or
    encryption."""
    processes = settings.CELERY_WORKER_CONCURRENCY
    each = sweep.DUE // processes
    counts = [each] * (processes - 1) + [sweep.DUE - each * (processes - 1)]
    with (
        _push_service("push-service-floor") as (ask, _),
        tempfile.NamedTemporaryFile("w", suffix=".json") as file,
    ):
        (subscription,) = ask("/subscriptions?count=1")
        info = {"endpoint": subscription["endpoint"], "keys": subscription}
        body = WebPusher(info).encode(push_services._payload("checkin", "en").encode())["body"]
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(subscription["endpoint"]))
        claims = {"sub": VAPID_SUBJECT, "aud": origin, "exp": int(time.time()) + 3600}
        headers = {
            **Vapid02.from_string(vapid_key).sign(claims),
            "TTL": "3600",
            "Content-Encoding": "aes128gcm",
        }
        json.dump({"headers": headers, "body": base64.b64encode(body).decode()}, file)
        file.flush()
        started = time.perf_counter()
        command = [sys.executable, "-m", "benchmarks.push_floor", subscription["endpoint"]]
        senders = [
            subprocess.Popen([*command, str(count), file.name], cwd=stack.PROJECT_DIR)
            for count in counts
        ]
        stack.wait_until(
            lambda: ask("/received")["received"] >= sweep.DUE, timeout=600, what="push floor"
        )
        seconds = time.perf_counter() - started
        for sender in senders:
            sender.wait(timeout=60)
    return seconds


def _rows(name: str, figures: EndToEnd, what: str) -> list[list[str]]:
    duplicates = figures.received - figures.distinct
    lost = sweep.DUE - figures.distinct
    return [
        [
            f"end to end {name}: sweep, {figures.processes} worker processes (target: 500/s)",
            f"{figures.seconds:.1f} s ({figures.rate:,.0f} reminders/s)",
        ],
        ["of which the sweep had queued them all after", f"{figures.queued_in:.1f} s"],
        [
            f"{what} received / distinct / duplicates / lost / reminders marked sent",
            f"{figures.received:,} / {figures.distinct:,} / {duplicates:,} / {lost:,} / "
            f"{figures.marked_sent:,}",
        ],
        figures.cpu_row(),
        ["errors, retries and failed pushes in the worker log", str(figures.failures)],
        [
            "peak memory of the worker processes (main + pool)",
            f"{stack.mib(sum(figures.peaks))} "
            f"({' + '.join(stack.mib(p) for p in figures.peaks)}; "
            f"{stack.mib(figures.idle)} when idle)",
        ],
    ]


def run() -> Section:
    now = timezone.now()
    started = time.perf_counter()
    sweep.build(now, prefix="sweep")
    built_in = time.perf_counter() - started
    print(f"reminders: built {sweep.SCHEDULES:,} schedules in {built_in:.0f} s", flush=True)
    figures = sweep.measure(now)
    print(
        f"reminders: sweep alone {figures.seconds:.2f} s, floor {figures.floor_seconds:.2f} s",
        flush=True,
    )
    due_ids = list(Reminder.objects.values_list("schedule_id", flat=True))

    by_email, sample = _by_email(due_ids)
    print(f"reminders: by email {by_email.seconds:.1f} s", flush=True)
    email_floor = _email_floor(sample)
    print(f"reminders: the email floor {email_floor:.1f} s", flush=True)
    vapid_key = _vapid_key()
    by_push = _by_push(due_ids, vapid_key)
    print(f"reminders: by push {by_push.seconds:.1f} s", flush=True)
    push_floor = _push_floor(vapid_key)
    print(f"reminders: the push floor {push_floor:.1f} s", flush=True)

    rows = [
        *sweep.rows(figures),
        *_rows("by email, SMTP on loopback", by_email, "emails"),
        [
            f"floor by email: the same {sweep.DUE:,} emails, already built, handed to the "
            f"sink by {settings.CELERY_WORKER_CONCURRENCY} processes",
            f"{email_floor:.1f} s ({sweep.DUE / email_floor:,.0f} emails/s; end to end is "
            f"{email_floor / by_email.seconds:.0%} of it)",
        ],
        *_rows("by push, our push service on loopback", by_push, "notifications"),
        [
            f"floor by push: {sweep.DUE:,} notifications, already encrypted and signed, posted "
            f"to the push service by {settings.CELERY_WORKER_CONCURRENCY} processes",
            f"{push_floor:.1f} s ({sweep.DUE / push_floor:,.0f} notifications/s; end to end is "
            f"{push_floor / by_push.seconds:.0%} of it)",
        ],
    ]
    body = "\n".join(
        [
            measured_on(),
            "",
            table(["figure", "value"], rows),
            "",
            f"The sweep alone runs in this process with no worker; its floor is the same "
            f"work done by hand in the same run (claim {sweep.DUE:,} due of "
            f"{sweep.SCHEDULES:,} with FOR UPDATE SKIP LOCKED, insert {sweep.DUE:,} "
            f"reminders, move {sweep.DUE:,} schedules on, push {sweep.DUE:,} messages in one "
            "Redis pipeline; rolled back). End to end starts over twice with the same "
            f"{sweep.DUE:,} due: the worker is started as docker-compose runs it (`celery -A "
            "recovery_support worker`, four pool processes per core: "
            "CELERY_WORKER_CONCURRENCY), with production "
            f"settings, and delivers a batch of {reminders.DELIVERY_BATCH} per task over one "
            "SMTP connection; the sweep runs back to back, as one beat run does; the clock "
            "stops at the last email received, then at the last notification read by the "
            "push service (a process of its own, tests/push_service.py, which decrypts each "
            "message with its subscription's keys).",
            "",
            "The sweep's query plan:",
            "",
            "```",
            figures.plan,
            "```",
        ]
    )
    return Section("Reminders", body)
