"""Emails about sharing. Tasks take ids (and, for an invitation, the link's token,
which is not health data and is useless without the invited account)."""

from celery import shared_task

from recovery_support.celery import DELIVERS_ONCE, SENDS
from sharing import alerts, digests, emails


@shared_task(**SENDS)
def send_invitation(invitation_id: int, token: str) -> None:
    emails.invitation_send(invitation_id=invitation_id, token=token)


@shared_task(**SENDS)
def send_access_ended(emails_to: list[str], member_name: str) -> None:
    emails.access_ended_send(emails_to=emails_to, member_name=member_name)


@shared_task(**SENDS)
def send_access_left(grant_id: int) -> None:
    emails.access_left_send(grant_id=grant_id)


@shared_task(**SENDS, acks_late=True)
def alert_help(help_call_id: int) -> int:
    return alerts.help_alerts_send(help_call_id=help_call_id)


def queue_help_alert(sender, *, help_call_id: int, **kwargs) -> None:
    """plans.signals.help_requested, sent after the commit: alert in the background."""
    alert_help.delay(help_call_id)


@shared_task(**SENDS)
def send_counselor_note(kind: str, note_id: int) -> bool:
    """A counselor's review ("review") or comment ("comment") for the member to read."""
    return emails.counselor_note_send(kind=kind, note_id=note_id)


@shared_task(ignore_result=True)
def send_counselor_digests() -> int:
    return digests.counselor_digests_send()


@shared_task(ignore_result=True)
def sweep_missed_checkins() -> int:
    return alerts.missed_alerts_send()


@shared_task(ignore_result=True)
def clear_orphaned_records() -> int:
    from sharing import services  # services queue this module's tasks

    return services.orphaned_records_clear()


# --- Help requests (sharing/help_requests.py queues these; imported late, since
# the modules that send the emails read help_requests, which imports this one) ---


@shared_task(**SENDS)
def announce_help_request(help_request_id: int) -> int:
    from sharing import help_emails

    return help_emails.announce_send(help_request_id=help_request_id)


@shared_task(ignore_result=True)
def sweep_help_reminders() -> int:
    from sharing import help_reminders

    return help_reminders.dispatch_due_help_reminders()


@shared_task(**DELIVERS_ONCE)
def deliver_help_reminder(help_request_id: int) -> bool:
    from sharing import help_reminders

    return help_reminders.help_reminder_deliver(help_request_id=help_request_id)


@shared_task(**SENDS)
def send_help_thanks(help_request_id: int) -> None:
    from sharing import help_emails

    help_emails.thanks_send(help_request_id=help_request_id)


@shared_task(**SENDS)
def send_help_cancelled(help_request_id: int, claimer_id: int) -> None:
    from sharing import help_emails

    help_emails.cancelled_send(help_request_id=help_request_id, claimer_id=claimer_id)


@shared_task(**SENDS)
def send_help_handed_back(help_request_id: int) -> None:
    from sharing import help_emails

    help_emails.handed_back_send(help_request_id=help_request_id)
