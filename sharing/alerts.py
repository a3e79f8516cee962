"""Alerts, only where the member switched them on: to each person with access they
allowed when they ask for help now, to the people they chose when they tell of a
slip, and to a counselor after a run of missed check-ins. Each alert is a row,
claimed under a lock and marked sent, so a repeated task never sends it twice; each
one sent is written in the member's access log."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from plans import charts
from plans.models import CheckIn, CheckInSchedule, HelpCall
from recovery_support.push import services as push_services
from sharing import emails
from sharing.models import AccessRecord, CounselorAlert, Grant, Role
from sharing.selectors import help_grants

# What the member's access log says each alert told the person, by how: stored in
# English, whole, and translated when the log is read (sharing/access_log.html).
TOLD = {
    (CounselorAlert.Kind.HELP, ("email",)): gettext_noop("an email: you asked for help"),
    (CounselorAlert.Kind.HELP, ("push",)): gettext_noop("a notification: you asked for help"),
    (CounselorAlert.Kind.HELP, ("email", "push")): gettext_noop(
        "an email and a notification: you asked for help"
    ),
    (CounselorAlert.Kind.SLIP, ("email",)): gettext_noop("an email: you told them of a slip"),
    (CounselorAlert.Kind.SLIP, ("push",)): gettext_noop("a notification: you told them of a slip"),
    (CounselorAlert.Kind.SLIP, ("email", "push")): gettext_noop(
        "an email and a notification: you told them of a slip"
    ),
    (CounselorAlert.Kind.MISSED, ("email",)): gettext_noop("an email: missed check-ins"),
}


def _send_once(grant: Grant, kind: str, key: date, context: dict, help_call=None) -> bool:
    """1. make the alert's row, once (a help call's alert is one per help call, any
    other one per day it is about); 2. claim it under a lock; 3. send it the way the
    person chose for help alerts (never held by their quiet hours, and by email when
    they chose nothing or have no device; a missed check-in alert is an email), mark
    it sent and write in the member's access log how they
    were told, or do nothing if it was sent."""
    identity = {"grant": grant, "help_call": help_call}
    identity |= {} if help_call else {"kind": kind, "key": key}
    CounselorAlert.objects.get_or_create(**identity, defaults={"kind": kind, "key": key})
    with transaction.atomic():
        alert = (
            CounselorAlert.objects.select_for_update()
            .select_related("grant__member", "grant__grantee")
            .get(**identity)
        )
        if alert.sent_at is not None:
            return False
        grantee = alert.grant.grantee
        channels = {"email"}
        if kind != CounselorAlert.Kind.MISSED:
            channels, _ = push_services.delivery_for(grantee, "help_alert", timezone.now())
        if "push" in channels and not grantee.push_subscriptions.exists():
            channels.discard("push")  # no device to tell: the access log says so
        if not channels:
            # A call for help always reaches them: the member chose to tell them, and
            # their help page says so. "Nothing" for help requests holds the favours.
            channels = {"email"}
        if "email" in channels:
            emails.alert_send(alert=alert, kind_context=context)
        alert.sent_at = timezone.now()
        alert.save(update_fields=["sent_at"])
        if channels:
            AccessRecord.objects.create(
                member_id=grant.member_id,
                viewer_id=grant.grantee_id,
                viewer_name=str(alert.grant.grantee),
                role=grant.role,
                what=_told(kind, channels),
                at=alert.sent_at,
            )
    if "push" in channels:
        push_services.push_send(user=alert.grant.grantee, kind="help_alert")
    return bool(channels)


def _told(kind: str, channels: set[str]) -> str:
    return TOLD[kind, tuple(sorted(channels))]


def help_alerts_send(*, help_call_id: int) -> int:
    call = HelpCall.objects.select_related("owner").filter(pk=help_call_id).first()
    if call is None:  # deleted with the member's account meanwhile
        return 0
    kind = CounselorAlert.Kind.SLIP if call.is_slip else CounselorAlert.Kind.HELP
    day = timezone.localdate(call.created_at, ZoneInfo(call.owner.time_zone))
    context = {"kind": kind, "asked_at": call.created_at}
    return sum(
        _send_once(grant, kind, day, context, help_call=call)
        for grant in help_grants(call).order_by("pk")
    )


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
