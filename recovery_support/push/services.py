"""Saving and removing a person's devices, and sending them a push. What a push says
is chosen from MESSAGES by kind, never written by the caller, so no name and nothing
about anyone's health reaches a lock screen: the details open inside the app, after
sign-in."""

import http.client
import json
import logging
import os
import ssl
import threading
import time as clock
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPusher

from recovery_support.languages import locale_of
from recovery_support.push.models import Channel, DeliveryChoices, PushSubscription

logger = logging.getLogger(__name__)

# Lazy: each is read in its recipient's language (push_send_many, notices._email_of).
MESSAGES = {
    "checkin": (_("Time for your check-in"), _("It takes a minute."), "/plan/checkin/"),
    "counselor_note": (
        _("You have a note from your counselor"),
        _("Open the app to read it."),
        "/",
    ),
    "contact_nudge": (
        _("Someone in your network"),
        _("It may be a good day to reach out."),
        "/dashboard/",
    ),
    "meeting": (_("Coming up soon"), _("Something in your plan starts soon."), "/dashboard/"),
    "help_request": (_("Someone you support asked for help"), _("Open the app to see it."), "/"),
    "help_alert": (_("Someone you support may need you"), _("Open the app to see it."), "/"),
    "followup": (
        _("A day you planned has come"),
        _("Open the app to see what you planned."),
        "/dashboard/",
    ),
    "test": (_("Notifications are on"), _("This is how your reminders will look."), "/"),
}
# The kinds the person chooses a channel for.
KINDS = {
    "checkin": _("Check-in reminders"),
    "contact_nudge": _("Nudges to be in touch, and follow-ups you planned"),
    "meeting": _("Meetings and sessions coming up"),
    "counselor_note": _("A note from your counselor"),
    "help_request": _("A request for help from someone you support"),
}
# Messages that go by another kind's choice: a follow-up date by the contact nudges'; a
# help alert ("I need help now") by the help requests', and never held by quiet hours.
CHOSEN_AS = {"followup": "contact_nudge", "help_alert": "help_request"}
NEVER_HELD = {"help_alert"}
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


# Pushes at a time: the push service answers each over the network, so a few overlap.
PUSH_THREADS = 4
_local = threading.local()


def _post(endpoint: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the push service; its HTTP status. Over this thread's kept-alive
    connection to that service, with http.client: requests cost four fifths of a push's
    CPU (preparing each request, looking up proxies and ~/.netrc in the environment),
    encrypting it a twentieth. An idle connection the service has closed meanwhile is
    opened again once. Where a proxy is configured, requests sends it, as it knows
    proxies."""
    if _proxy_configured():
        return _proxied().post(endpoint, data=body, headers=headers, timeout=10).status_code
    url = urlsplit(endpoint)
    path = f"{url.path}?{url.query}" if url.query else url.path
    connections = _local.__dict__.setdefault("connections", {})
    origin = (url.scheme, url.netloc)
    reused = origin in connections
    while True:
        if origin not in connections:
            connections[origin] = _connect(url)
        connection, sending, answered = connections[origin], True, False
        try:
            connection.request("POST", path, body=body, headers=headers)
            sending = False
            response = connection.getresponse()
            response.read()
            answered = True
            return response.status
        except (OSError, http.client.HTTPException) as error:
            # Sent again only when the service had closed an idle connection: it hung
            # up before our request was written, or without a word in answer to it.
            if not (reused and (sending or isinstance(error, http.client.RemoteDisconnected))):
                raise
            reused = False
        finally:
            if not answered:  # whatever stopped it (a time limit too): start afresh
                connection.close()
                del connections[origin]


@cache
def _proxy_configured() -> bool:
    return any(scheme != "no" for scheme in urllib.request.getproxies())


def _connect(url) -> http.client.HTTPConnection:
    if url.scheme == "https":
        return http.client.HTTPSConnection(url.hostname, url.port, timeout=10, context=_tls())
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


@cache
def _tls() -> ssl.SSLContext:
    """The certificates requests would trust: a bundle named in the environment as
    requests reads it, else certifi's."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    return ssl.create_default_context(cafile=bundle or requests.certs.where())


def _proxied() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


# A signed VAPID header lasts 12 hours; one per push service, made again an hour early.
VAPID_LIFETIME = 12 * 60 * 60
_vapid_headers: dict[str, tuple[float, dict]] = {}


def _headers_for(endpoint: str) -> dict:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    expires, headers = _vapid_headers.get(origin, (0.0, {}))
    if expires - clock.time() < 60 * 60:
        expires = int(clock.time()) + VAPID_LIFETIME
        claims = {"sub": settings.VAPID_SUBJECT, "aud": origin, "exp": expires}
        headers = _vapid(settings.VAPID_PRIVATE_KEY).sign(claims)
        _vapid_headers[origin] = (expires, headers)
    return headers


def push_send(*, user, kind: str) -> int:
    """Sends the message of this kind to each of the person's devices; returns how many
    took it. A subscription the push service says is gone is removed."""
    return push_send_many(user_ids=[user.pk], kind=kind)


def push_send_many(*, user_ids: Iterable[int], kind: str) -> int:
    """The message of this kind to every device of each of these people (their
    subscriptions read in one query, the signed VAPID header reused, PUSH_THREADS
    pushes at a time over kept-alive connections); returns how many devices took it.
    Subscriptions the push service says are gone are removed."""
    if not settings.VAPID_PRIVATE_KEY:
        return 0
    subscriptions = list(
        PushSubscription.objects.filter(owner_id__in=list(user_ids)).select_related("owner")
    )
    # Each in its owner's language: one payload per language, made once.
    made: dict[str, str] = {}
    payloads = []
    for subscription in subscriptions:
        locale = locale_of(subscription.owner)
        if locale not in made:
            made[locale] = _payload(kind, locale)
        payloads.append(made[locale])
    if len(subscriptions) == 1:
        statuses = [_push(subscriptions[0], payloads[0])]
    else:
        with ThreadPoolExecutor(PUSH_THREADS) as pool:
            statuses = list(pool.map(_push, subscriptions, payloads))
    gone = [s.pk for s, status in zip(subscriptions, statuses, strict=True) if status in GONE]
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    return sum(1 for status in statuses if status is not None and status <= 202)


def _payload(kind: str, locale: str) -> str:
    title, body, url = MESSAGES[kind]
    with translation.override(locale):
        return json.dumps({"title": str(title), "body": str(body), "url": url, "tag": kind})


def _push(subscription: PushSubscription, payload: str) -> int | None:
    """One push; its HTTP status, or None when the push service did not answer."""
    try:
        body = WebPusher(subscription.subscription_info()).encode(payload.encode())["body"]
        headers = {
            **_headers_for(subscription.endpoint),
            "TTL": str(settings.PUSH_TTL_SECONDS),
            "Content-Encoding": "aes128gcm",
        }
        status = _post(subscription.endpoint, body, headers)
    except (OSError, http.client.HTTPException, requests.RequestException, ValueError) as error:
        logger.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return None
    if status > 202 and status not in GONE:
        logger.warning("Push to subscription %s failed: %s", subscription.pk, status)
    return status


def choices_of(user_ids: Iterable[int]) -> dict[int, DeliveryChoices]:
    """The delivery choices of these people, by their id (one query; a person who
    chose nothing is not in it)."""
    return {c.owner_id: c for c in DeliveryChoices.objects.filter(owner_id__any_of=user_ids)}


_UNREAD = object()


def delivery_for(
    user, kind: str, at: datetime, *, choices=_UNREAD
) -> tuple[set[str], datetime | None]:
    """How a message of this kind due at `at` reaches the person: the channels
    ("push", "email"), and when their quiet hours end if `at` falls in them.
    `choices`: their DeliveryChoices (or None) when read already (choices_of)."""
    if choices is _UNREAD:
        choices = DeliveryChoices.objects.filter(owner=user).first()
    chosen_as = CHOSEN_AS.get(kind, kind)
    channel = choices.channels.get(chosen_as, Channel.BOTH) if choices else Channel.BOTH
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
    *,
    owner,
    channels: dict[str, str],
    quiet_start: time | None,
    quiet_end: time | None,
    meeting_lead_minutes: int = 60,
) -> DeliveryChoices:
    choices, _ = DeliveryChoices.objects.update_or_create(
        owner=owner,
        defaults={
            "channels": channels,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "meeting_lead_minutes": meeting_lead_minutes,
        },
    )
    return choices
