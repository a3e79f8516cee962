"""Alerts to a counselor, only where the member switched them on: when a check-in asks
for help, and after a run of missed check-ins. Each alert is a row, claimed under a
lock and marked sent, so a repeated task never sends it twice."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from plans import charts
from plans.models import CheckIn, CheckInSchedule
from sharing import emails
from sharing.models import CounselorAlert, Grant, Role


def _send_once(grant: Grant, kind: str, key: date, context: dict) -> bool:
    CounselorAlert.objects.get_or_create(grant=grant, kind=kind, key=key)
    with transaction.atomic():
        alert = (
            CounselorAlert.objects.select_for_update()
            .select_related("grant__member", "grant__grantee")
            .get(grant=grant, kind=kind, key=key)
        )
        if alert.sent_at is not None:
            return False
        emails.alert_send(alert=alert, kind_context=context)
        alert.sent_at = timezone.now()
        alert.save(update_fields=["sent_at"])
    return True


def _counselor_grants(member_id: int):
    return Grant.objects.active().filter(member_id=member_id, role=Role.COUNSELOR)


def help_alerts_send(*, checkin_id: int) -> int:
    checkin = CheckIn.objects.select_related("owner").filter(pk=checkin_id).first()
    if checkin is None or not checkin.needed_help:
        return 0
    zone = ZoneInfo(checkin.owner.time_zone)
    asked_at = timezone.localtime(checkin.updated_at, zone)
    grants = _counselor_grants(checkin.owner_id).filter(alert_on_help=True)
    context = {"kind": "help", "asked_at": asked_at}
    return sum(_send_once(g, CounselorAlert.Kind.HELP, checkin.day, context) for g in grants)


def missed_run(owner_id: int, today: date) -> list[date]:
    """The planned days up to yesterday, most recent first, that all went without a
    check-in: the current run of missed check-ins."""
    schedule = CheckInSchedule.objects.filter(owner_id=owner_id).first()
    if schedule is None or schedule.paused:
        return []
    window_start = today - timedelta(days=30)
    days = set(
        CheckIn.objects.filter(owner_id=owner_id, day__gte=window_start).values_list(
            "day", flat=True
        )
    )
    missed = set(
        charts.missed_days(
            days,
            window_start=window_start,
            today=today,
            began_on=timezone.localdate(schedule.created_at, ZoneInfo("UTC")),
            weekdays=schedule.weekdays,
        )
    )
    run = []
    day = today - timedelta(days=1)
    while day >= window_start:
        planned = not schedule.weekdays or day.weekday() in schedule.weekdays
        if planned:
            if day not in missed:
                break
            run.append(day)
        day -= timedelta(days=1)
    return run


def missed_alerts_send() -> int:
    """For every counselor the member asked us to alert: once per run of missed
    check-ins that reaches the number the member chose."""
    sent = 0
    grants = (
        Grant.objects.active()
        .filter(role=Role.COUNSELOR, alert_after_missed__isnull=False)
        .select_related("member")
    )
    for grant in grants:
        today = timezone.localdate(timezone=ZoneInfo(grant.member.time_zone))
        run = missed_run(grant.member_id, today)
        if len(run) >= grant.alert_after_missed:
            context = {"kind": "missed", "missed_count": len(run), "since": run[-1]}
            sent += _send_once(grant, CounselorAlert.Kind.MISSED, run[-1], context)
    return sent
