"""Writes to a person's own account: what we call them, and their day count."""

from datetime import datetime

from django.utils import timezone

from recovery_support.models import User


def recovery_date_skip(*, user: User) -> None:
    """ "Not now" to "When did your recovery start?": not asked again on the dashboard;
    they can still give it on their account page."""
    user.recovery_date_skipped = True
    user.save(update_fields=["recovery_date_skipped"])


def recovery_restart_answer(*, user: User, start_again: bool, now: datetime | None = None) -> int:
    """The member's answer to "Start counting again from today?" after a slip, which
    only they give: the count is never reset without asking. Returns the days they
    had counted, to say that those still count."""
    today = user.local_today()
    days_before = max(0, (today - user.recovery_started_on).days) if user.recovery_started_on else 0
    user.slip_answered_at = now or timezone.now()
    fields = ["slip_answered_at"]
    if start_again:
        user.recovery_started_on = today
        fields.append("recovery_started_on")
    user.save(update_fields=fields)
    return days_before
