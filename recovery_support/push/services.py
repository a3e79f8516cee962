"""Saving and removing a person's devices, and sending them a push. What a push says
is chosen from MESSAGES by kind, never written by the caller, so no name and nothing
about anyone's health reaches a lock screen: the details open inside the app, after
sign-in."""

import json
import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

from recovery_support.push.models import Channel, DeliveryChoices, PushSubscription

logger = logging.getLogger(__name__)

MESSAGES = {
    "checkin": ("Time for your check-in", "It takes a minute.", "/plan/check-in/"),
    "counselor_note": ("You have a note from your counselor", "Open the app to read it.", "/"),
    "contact_nudge": ("Someone in your network", "It may be a good day to reach out.", "/"),
    "meeting": ("Coming up soon", "Something in your plan starts soon.", "/plan/"),
    "help_request": ("Someone you support asked for help", "Open the app to see it.", "/"),
    "test": ("Notifications are on", "This is how your reminders will look.", "/"),
}
# The kinds the person chooses a channel for: those sent today.
KINDS = {"checkin": "Check-in reminders"}
NEVER_HELD = {"help_request"}  # a help alert goes out in quiet hours too
GONE = (404, 410)  # the push service no longer knows this subscription


@cache
def _vapid(private_key: str) -> Vapid02:
    return Vapid02.from_string(private_key)


def vapid_public_key() -> str:
    """The application server key the browser subscribes with ("" when this server has
    no VAPID key: then push is off)."""
    if not settings.VAPID_PRIVATE_KEY:
        return ""
    key = _vapid(settings.VAPID_PRIVATE_KEY).public_key
    return b64urlencode(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def subscription_save(
    *, owner, endpoint: str, p256dh: str, auth: str, device_name: str
) -> PushSubscription:
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"owner": owner, "p256dh": p256dh, "auth": auth, "device_name": device_name},
    )
    return subscription


def subscription_remove(*, owner, pk: int) -> int:
    deleted, _ = PushSubscription.objects.filter(owner=owner, pk=pk).delete()
    return deleted


_session = requests.Session()


def push_send(*, user, kind: str) -> int:
    """Sends the message of this kind to each of the person's devices; returns how many
    took it. A subscription the push service says is gone is removed."""
    title, body, url = MESSAGES[kind]
    if not settings.VAPID_PRIVATE_KEY:
        return 0
    payload = json.dumps({"title": title, "body": body, "url": url, "tag": kind})
    sent = 0
    for subscription in PushSubscription.objects.filter(owner=user):
        try:
            webpush(
                subscription.subscription_info(),
                data=payload,
                vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=settings.PUSH_TTL_SECONDS,
                timeout=10,
                requests_session=_session,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in GONE:
                subscription.delete()
            else:
                logger.warning("Push to subscription %s failed: %s", subscription.pk, status)
            continue
        except requests.RequestException as error:
            logger.warning("Push to subscription %s failed: %s", subscription.pk, error)
            continue
        sent += 1
    return sent


def delivery_for(user, kind: str, at: datetime) -> tuple[set[str], datetime | None]:
    """How a message of this kind due at `at` reaches the person: the channels
    ("push", "email"), and when their quiet hours end if `at` falls in them."""
    choices = DeliveryChoices.objects.filter(owner=user).first()
    channel = choices.channels.get(kind, Channel.BOTH) if choices else Channel.BOTH
    channels = {Channel.BOTH: {"push", "email"}, Channel.NONE: set()}.get(channel, {channel})
    if choices is None or kind in NEVER_HELD:
        return channels, None
    zone = ZoneInfo(user.time_zone)
    return channels, quiet_until(choices.quiet_start, choices.quiet_end, zone, at)


def quiet_until(start: time | None, end: time | None, zone: ZoneInfo, at: datetime):
    """When the quiet hours that `at` falls in end (None outside them). Hours that
    cross midnight (22:00 to 07:00) run into the next day; each end is the wall-clock
    time on its own day, so a daylight-saving change moves it with the clock."""
    if start is None or end is None or start == end:
        return None
    local = at.astimezone(zone)
    now = local.time()
    if start < end:
        quiet, ends_on = start <= now < end, local.date()
    else:
        quiet = now >= start or now < end
        ends_on = local.date() + timedelta(days=1) if now >= start else local.date()
    if not quiet:
        return None
    return _wall_clock(ends_on, end, zone)


def _wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """That time on that day where the person is, in UTC; a time the clocks skip
    (02:30 on the spring change) is the moment the clocks reach it."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def delivery_choices_save(
    *, owner, channels: dict[str, str], quiet_start: time | None, quiet_end: time | None
) -> DeliveryChoices:
    choices, _ = DeliveryChoices.objects.update_or_create(
        owner=owner,
        defaults={"channels": channels, "quiet_start": quiet_start, "quiet_end": quiet_end},
    )
    return choices
