"""Every reminder but the check-in (plans/reminders.py), through one outbox: Notice rows.

A notice is one message of one kind to one person, unique per person, kind and key
(what it is about: "review-12", "help-5", "contact-31-2026-11-20"), so a repeated
sweep or task never makes a second one. How it goes is the person's choice for its
kind (push/services.py): a notification, an email, both or nothing, and never in
their quiet hours. A notice held by quiet hours has its due time moved to when they
end: it waits in its row, found again by the indexed sweep, so a dead worker or a
lost queue never loses it.

The app that has something to say decides what the email says and whether the
message is still wanted when it goes (a note read meanwhile, a request taken on by
someone else): `register(kind, email=..., wanted=...)` from its AppConfig.ready. A
kind nobody registers gets the discreet email of push/services.MESSAGES.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone

from recovery_support.emails import email_message, in_language_of, mail_connection
from recovery_support.push import services as push_services
from recovery_support.push.models import Notice

logger = logging.getLogger(__name__)

REQUEUE_AFTER = timedelta(minutes=5)  # queued this long ago and still pending: lost
SWEEP_BATCH = 2000
DELIVERY_BATCH = 100  # notices per delivery task: one SMTP connection each


@dataclass(frozen=True)
class Sender:
    email: Callable[[Notice], EmailMultiAlternatives]
    wanted: Callable[[Notice], bool]


def _discreet_email(notice: Notice) -> EmailMultiAlternatives:
    """What the push says, and a link to sign in and see the rest: no names, nothing
    of anyone's health."""
    title, body, path = push_services.MESSAGES[notice.kind]
    return email_message(
        to=notice.recipient.email,
        subject=str(title),
        template="push/email/notice.txt",
        context={
            "person": notice.recipient,
            "body": str(body),
            "link": settings.SITE_URL + path,
            "choices_link": settings.SITE_URL + reverse("push:devices"),
        },
        **{"Message-ID": f"<notice-{notice.pk}@{_host()}>"},
    )


def _host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"


SENDERS: dict[str, Sender] = {}


def _email_of(notice: Notice) -> EmailMultiAlternatives:
    """The email of a notice, built in its recipient's language (whatever the sender
    registered: its subject and body are rendered inside)."""
    with in_language_of(notice.recipient):
        return _sender(notice.kind).email(notice)


def register(
    kind: str,
    *,
    email: Callable[[Notice], EmailMultiAlternatives] = _discreet_email,
    wanted: Callable[[Notice], bool] = lambda notice: True,
) -> None:
    SENDERS[kind] = Sender(email=email, wanted=wanted)


def _sender(kind: str) -> Sender:
    return SENDERS.get(kind) or Sender(email=_discreet_email, wanted=lambda notice: True)


# --- Writes ---------------------------------------------------------------------------


def notices_record(
    rows: Iterable[tuple[int, str, str]],
    *,
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
    queued: bool = False,
    now: datetime | None = None,
) -> list[int]:
    """Record notices (recipient id, kind, key) due at `due_at` (now), each once: one
    INSERT … ON CONFLICT DO NOTHING. Returns the ids of those new, stamped queued when
    the caller delivers or queues them itself."""
    rows = list(rows)
    if not rows:
        return []
    now = now or timezone.now()
    due_at = due_at or now
    recipients, kinds, keys = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO push_notice (recipient_id, kind, key, due_at, expires_at, status, "
            "queued_at) SELECT r, k, y, %s, %s, 'pending', %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(r, k, y) "
            "ON CONFLICT DO NOTHING RETURNING id",
            [due_at, expires_at, now if queued else None, recipients, kinds, keys],
        )
        return [row[0] for row in cursor.fetchall()]


def notice_send(*, recipient_id: int, kind: str, key: str) -> bool:
    """From a task already in the background: record the notice (once) and deliver it
    now. Returns whether it went (False when sent before, held, or not wanted)."""
    ids = notices_record([(recipient_id, kind, key)], queued=True)
    return bool(ids) and notices_deliver(notice_ids=ids) == 1


def notices_queue(
    rows: Iterable[tuple[int, str, str]],
    *,
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Record notices (as notices_record) and, once committed, queue the delivery of
    those due now, a batch per task; those due later wait for the sweep. Returns how
    many were new."""
    now = now or timezone.now()
    due_now = due_at is None or due_at <= now
    ids = notices_record(rows, due_at=due_at, expires_at=expires_at, queued=due_now, now=now)
    if ids and due_now:
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


def dispatch_due_notices(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """The sweep (beat, every minute). Returns how many it queued.

    1. Claim pending notices whose time has come (held ones whose quiet hours have
       ended among them) that were never queued or were queued long ago (their task
       lost with Redis or a worker), skipping rows another sweep holds.
    2. Stamp them queued; after commit, one delivery task per DELIVERY_BATCH."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(status=Notice.Status.PENDING, due_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
            .order_by("due_at")
            .values_list("pk", flat=True)[:batch]
        )
        Notice.objects.filter(pk__in=ids).update(queued_at=now)
        if ids:
            transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


def _enqueue(ids: list[int]) -> None:
    from recovery_support.push.tasks import deliver_notices

    enqueue_in_batches(deliver_notices, ids, size=DELIVERY_BATCH, what="notices")


def enqueue_in_batches(task, ids: list[int], *, size: int, what: str) -> None:
    """Queue `task` once per `size` ids, over one connection to Redis. When Redis is
    down the rows stay pending, and a later sweep queues them again."""
    try:
        with task.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), size):
                task.apply_async((ids[start : start + size],), producer=producer)
    except Exception:
        logger.warning("could not queue %d %s; they will be queued again", len(ids), what)


def send_each(items: list, *, model: type[Model], email: Callable) -> list:
    """Claim and send a batch of (row of `model`, channels) items; returns those that
    went. Claiming a row is a guarded UPDATE … WHERE status = 'pending': a second
    delivery of the same item waits on the row, then finds it taken.

    Those with an email go one by one over one SMTP connection (opened at the first),
    each claimed in a transaction of its own, committed once its email (`email(item)`)
    is handed over: a worker killed mid-batch has marked exactly the emails it handed
    over. The commit is PostgreSQL's COMMIT AND CHAIN, which starts the next email's
    transaction with it: two statements an email instead of three (BEGIN, the claim,
    COMMIT), inside one atomic block that commits or rolls back only the last. Those
    with a notification only are claimed together in one statement after the emails,
    as nothing leaves for them until the caller pushes after this returns.

    These commits do not wait for the disk (synchronous_commit = off, for this batch
    only): a crash of PostgreSQL itself could forget the last fraction of a second of
    such marks, and those messages would go again (with the same Message-ID, which
    mail systems may drop); a dead worker forgets nothing. Waiting for the disk at
    each of them held delivery to 40 a second."""
    by_email = [item for item in items if "email" in item[1]]
    sent, smtp = [], None
    claim = _claim_statement(model)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    # Inside a caller's transaction (a test's, say) that caller commits the claims, and
    # an error rolls back the whole batch's with it (only tests call it so).
    chain = connection.get_autocommit()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for item in by_email:
                cursor.execute(claim, [item[0].pk])
                if cursor.rowcount != 1:
                    continue  # sent by another delivery meanwhile
                if smtp is None:
                    smtp = mail_connection()
                    smtp.open()
                smtp.send_messages([email(item)])
                if chain:
                    cursor.execute("COMMIT AND CHAIN")  # this one's mark kept, whatever follows
                sent.append(item)
        # After the emails: should one fail (the task then runs again), these are
        # still pending for that second run.
        sent.extend(_claim_together([item for item in items if "email" not in item[1]], model))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
        if smtp is not None:
            smtp.close()
    return sent


def _claim_together(items: list, model: type[Model]) -> list:
    """The items whose rows this one statement claimed (not sent meanwhile)."""
    if not items:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_statement(model, together=True),
            [[row.pk for row, _ in items]],
        )
        claimed = {pk for (pk,) in cursor.fetchall()}
    return [item for item in items if item[0].pk in claimed]


def _claim_statement(model: type[Model], *, together: bool = False) -> str:
    """The claim, written out: Django would build this UPDATE afresh for every row,
    which cost twice what running it does. The time sent is PostgreSQL's (when this
    claim ran), not a parameter to be quoted for each row. `together`: of a list of
    ids, returning those it claimed."""
    table = connection.ops.quote_name(model._meta.db_table)  # a model's, not anyone's input
    which = "id = ANY(%s)" if together else "id = %s"
    returning = " RETURNING id" if together else ""
    return (
        f"UPDATE {table} SET status = 'sent', sent_at = statement_timestamp() "  # noqa: S608
        f"WHERE {which} AND status = 'pending'{returning}"
    )


def notices_deliver(*, notice_ids: list[int], now: datetime | None = None) -> int:
    """Deliver a batch of notices. Returns how many went.

    1. Read the batch, the recipients and their choices in two queries.
    2. Those in the recipient's quiet hours get their due time moved to when the
       hours end (the sweep sends them then); those past their time, of a kind the
       person turned off, or no longer wanted are dropped.
    3. The rest (send_each): emails one by one over one SMTP connection, and those
       with a notification only claimed together.
    4. Then the notifications to their devices, a kind at a time."""
    now = now or timezone.now()
    notices = list(
        Notice.objects.filter(pk__any_of=notice_ids, status=Notice.Status.PENDING, due_at__lte=now)
        .select_related("recipient")
        .order_by("pk")
    )
    choices = push_services.choices_of({n.recipient_id for n in notices})
    held: dict[datetime, list[int]] = defaultdict(list)
    dropped, to_send = [], []
    for notice in notices:
        channels, until = push_services.delivery_for(
            notice.recipient, notice.kind, now, choices=choices.get(notice.recipient_id)
        )
        expired = notice.expires_at is not None and now >= notice.expires_at
        if until is not None and not expired:
            held[until].append(notice.pk)
        elif expired or not channels or not _sender(notice.kind).wanted(notice):
            dropped.append(notice.pk)
        else:
            to_send.append((notice, channels))
    pending = Notice.objects.filter(status=Notice.Status.PENDING)
    for until, ids in held.items():
        pending.filter(pk__in=ids).update(due_at=until, queued_at=None)
    pending.filter(pk__in=dropped).update(status=Notice.Status.DROPPED)

    went = send_each(
        to_send,
        model=Notice,
        email=lambda item: _email_of(item[0]),
    )
    pushes = defaultdict(list)
    for notice, channels in went:
        if "push" in channels:
            pushes[notice.kind].append(notice.recipient_id)
    for kind, recipients in pushes.items():
        push_services.push_send_many(user_ids=recipients, kind=kind)
    return len(went)
