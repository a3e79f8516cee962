"""Saving and removing a person's devices, and sending them a push. What a push says
is chosen from MESSAGES by kind, never written by the caller, so no name and nothing
about anyone's health reaches a lock screen: the details open inside the app, after
sign-in."""

import json
import logging
from functools import cache

import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

from push.models import PushSubscription

logger = logging.getLogger(__name__)

MESSAGES = {
    "checkin": ("Time for your check-in", "It takes a minute.", "/plan/check-in/"),
    "counselor_note": ("You have a note from your counselor", "Open the app to read it.", "/"),
    "contact_nudge": ("Someone in your network", "It may be a good day to reach out.", "/"),
    "meeting": ("Coming up soon", "Something in your plan starts soon.", "/plan/"),
    "help_request": ("Someone you support asked for help", "Open the app to see it.", "/"),
    "test": ("Notifications are on", "This is how your reminders will look.", "/"),
}
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
