"""Every email we send (ours and allauth's), with hostile names and typed text in it:
its HTML part holds only what our layout puts there, the one live kind of link is
a link to our own site, and its subject is one clean line that never fails to send.

The list of emails is checked against the email templates on disk: a new one fails
here until it has a way to be sent below."""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from plans import reminders
from plans.models import CheckIn, CheckInSchedule, Plan, Reminder
from recovery_support.push import notices
from sharing import alerts, digests, help_emails, help_requests, my_data, services
from sharing.models import Grant, HelpRequest
from sharing.services import grant_leave

EVIL_LINK = '<a href="https://evil.example/x">Open your invitation</a><!--'


@dataclass(frozen=True)
class Hostile:
    id: str
    text: str
    seen: str  # what of it the reader must still see, as text, in the HTML part


def _at_the_limit(text: str, limit: int = 80) -> str:
    return (text * limit)[:limit]


HOSTILE = [
    Hostile("live-link", EVIL_LINK, "Open your invitation</a><!--"),
    Hostile("img-onerror", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    Hostile("comment", "Sam <!-- everything after is hidden", "<!-- everything after"),
    Hostile("bare-url", "Sam https://evil.example/login", "https://evil.example/login"),
    Hostile(
        "our-address-lookalike",
        f"{settings.SITE_URL}@evil.example/x and {settings.SITE_URL}.evil.example/",
        "@evil.example/x",
    ),
    Hostile("header-injection", "Sam\r\nBcc: everyone@evil.example", "Bcc: everyone@evil.example"),
    Hostile("rtl-override", "Sam \u202egnp.exe", "gnp.exe"),
    Hostile(
        "80-characters",
        _at_the_limit('"><a href="https://evil.example/">x</a>'),
        '"><a href="https://evil.example/">',
    ),
]


# --- Sending each email -------------------------------------------------------------


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks queued here run at once, in the test."""
    from recovery_support.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _invitation(people, hostile: Hostile, capture) -> None:
    people["client"].force_login(people["member"])
    with capture(execute=True):
        response = people["client"].post(
            reverse("sharing:invite"), {"email": "friend@example.org", "role": "supporter"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]


def _help_alert(people, hostile: Hostile, capture) -> None:
    Grant.objects.filter(grantee=people["counselor"]).update(alert_on_help=True)
    people["client"].force_login(people["member"])
    with capture(execute=True):
        people["client"].post(
            reverse("plans:checkin"),
            {"mood": "2", "craving": "8", "needed_help": "on", "note": hostile.text},
        )
    assert CheckIn.objects.get().needed_help


def _missed_alert(people, hostile: Hostile, capture) -> None:
    schedule = CheckInSchedule.objects.create(owner=people["member"], local_time=time(9))
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    Grant.objects.filter(grantee=people["counselor"]).update(alert_after_missed=3)
    assert alerts.missed_alerts_send() == 1


def _access_ended(people, hostile: Hostile, capture) -> None:
    with capture(execute=True):
        my_data.account_delete(user=people["member"])


def _access_left(people, hostile: Hostile, capture) -> None:
    with capture(execute=True):
        assert grant_leave(grant=Grant.objects.get(grantee=people["counselor"]))


def _help_asked(people, hostile: Hostile, capture) -> HelpRequest:
    with capture(execute=True):
        return help_requests.help_request_create(
            member=people["member"],
            kind=HelpRequest.Kind.RIDE,
            on=None,
            at_time=None,
            where=hostile.text,
            note=hostile.text,
            chosen=None,
        )


def _help_taken_on(people, hostile: Hostile, capture) -> tuple[HelpRequest, Grant]:
    """A request the supporter took on; its announcement is not the email under test."""
    help_request = _help_asked(people, hostile, capture)
    grant = Grant.objects.get(grantee=people["supporter"])
    assert help_requests.help_request_claim(grant=grant, pk=help_request.pk)
    mail.outbox.clear()
    help_request.refresh_from_db()
    return help_request, grant


def _help_reminder(people, hostile: Hostile, capture) -> None:
    help_request, _ = _help_taken_on(people, hostile, capture)
    help_emails.reminder_send(help_request=help_request)


def _help_thanks(people, hostile: Hostile, capture) -> None:
    help_request, _ = _help_taken_on(people, hostile, capture)
    with capture(execute=True):
        assert help_requests.help_request_thank(help_request=help_request, thanks=hostile.text)


def _help_cancelled(people, hostile: Hostile, capture) -> None:
    help_request, _ = _help_taken_on(people, hostile, capture)
    with capture(execute=True):
        assert help_requests.help_request_cancel(help_request=help_request)


def _help_handed_back(people, hostile: Hostile, capture) -> None:
    help_request, grant = _help_taken_on(people, hostile, capture)
    with capture(execute=True):
        assert help_requests.help_request_hand_back(
            grant=grant, pk=help_request.pk, note=hostile.text
        )


def _reminder(people, hostile: Hostile, capture) -> None:
    now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    schedule = CheckInSchedule.objects.create(
        owner=people["member"], local_time=time(9), next_due_at=now
    )
    reminder = Reminder.objects.create(schedule=schedule, due_at=now, queued_at=now)
    assert reminders.reminder_deliver(reminder_id=reminder.pk, now=now)


def _counselor_note(people, hostile: Hostile, capture) -> None:
    plan = Plan.objects.create(owner=people["member"])
    grant = Grant.objects.get(grantee=people["counselor"])
    with capture(execute=True):
        services.review_save(grant=grant, plan=plan, status="changes", note=hostile.text)


def _counselor_digest(people, hostile: Hostile, capture) -> None:
    plan = Plan.objects.create(owner=people["member"])
    first = plan.comments.create(author_name=hostile.text, step=1, body="?")
    plan.comments.create(parent=first, by_member=True, step=1, body=hostile.text)
    now = timezone.now()
    # Somewhere it is morning now: the digest goes in the counselor's morning.
    counselor = people["counselor"]
    counselor.time_zone = next(
        zone
        for zone in ("America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Honolulu")
        if now.astimezone(ZoneInfo(zone)).hour >= digests.DIGEST_HOUR
    )
    counselor.save()
    assert digests.counselor_digests_send(now=now) == 1


def _discreet_notice(people, hostile: Hostile, capture) -> None:
    """A nudge by email: "Someone in your network", to the member named."""
    assert notices.notice_send(recipient_id=people["member"].pk, kind="contact_nudge", key="1")


# Our own emails: each template, and the ways it is sent.
OURS: dict[str, dict[str, Callable]] = {
    "sharing/email/invitation.txt": {"invitation": _invitation},
    "sharing/email/alert.txt": {"help alert": _help_alert, "missed check-ins alert": _missed_alert},
    "sharing/email/access_ended.txt": {"access ended": _access_ended},
    "sharing/email/access_left.txt": {"access left": _access_left},
    "sharing/email/help_asked.txt": {"help asked": _help_asked},
    "sharing/email/help_reminder.txt": {"help reminder": _help_reminder},
    "sharing/email/help_thanks.txt": {"help thanks": _help_thanks},
    "sharing/email/help_cancelled.txt": {"help cancelled": _help_cancelled},
    "sharing/email/help_handed_back.txt": {"help handed back": _help_handed_back},
    "plans/email/reminder.txt": {"reminder": _reminder},
    "sharing/email/counselor_note.txt": {"counselor note": _counselor_note},
    "sharing/email/digest.txt": {"counselor digest": _counselor_digest},
    "push/email/notice.txt": {"nudge": _discreet_notice},
}


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    return dirs + [Path(d) for d in get_app_template_dirs("templates")]


def _email_templates() -> dict[str, set[Path]]:
    """Every text template in an `email` folder of a template directory, by name."""
    found: dict[str, set[Path]] = {}
    for directory in _template_dirs():
        for path in directory.glob("*/email/*.txt"):
            found.setdefault(path.relative_to(directory).as_posix(), set()).add(path)
    return found


def _allauth_prefixes() -> list[str]:
    """allauth's emails: a `<prefix>_message.txt` beside its `<prefix>_subject.txt`,
    whether the message is allauth's own template or our version of it."""
    names = _email_templates()
    return sorted(
        name.removesuffix("_message.txt")
        for name in names
        if name.endswith("_message.txt") and name.replace("_message.txt", "_subject.txt") in names
    )


def _allauth_sender(prefix: str) -> Callable:
    def send(people, hostile: Hostile, capture) -> None:
        user = people["member"]
        site = urlsplit(settings.SITE_URL)
        request = RequestFactory().get(
            "/", HTTP_HOST=site.netloc, HTTP_USER_AGENT=hostile.text, secure=site.scheme == "https"
        )
        request.user = AnonymousUser()
        link = f"{settings.SITE_URL}/accounts/"
        with request_context(request):
            get_adapter(request).send_mail(
                prefix,
                user.email,
                {
                    "user": user,
                    "user_display": hostile.text,
                    "username": hostile.text,
                    "activate_url": link + "confirm-email/abc/",
                    "password_reset_url": link + "password/reset/key/abc/",
                    "signup_url": link + "signup/",
                    "code": hostile.text,
                    "deleted_email": hostile.text,
                    "from_email": hostile.text,
                    "to_email": hostile.text,
                    "provider": hostile.text,
                    "ip": hostile.text,
                    "user_agent": hostile.text,
                    "timestamp": timezone.now(),
                },
            )

    return send


EMAILS: dict[str, Callable] = {
    **{kind: send for ways in OURS.values() for kind, send in ways.items()},
    **{prefix: _allauth_sender(prefix) for prefix in _allauth_prefixes()},
}


def test_every_email_template_is_covered():
    """A new email template fails here until OURS (or allauth's naming) sends it."""
    allauth_style = {
        name
        for prefix in _allauth_prefixes()
        for name in (f"{prefix}_message.txt", f"{prefix}_subject.txt")
    }
    bases = {name for name in _email_templates() if Path(name).name.startswith("base_")}
    assert set(_email_templates()) - allauth_style - bases == set(OURS)
    assert "account/email/email_confirmation" in _allauth_prefixes()
    assert "mfa/email/totp_activated" in _allauth_prefixes()


# --- Reading the HTML part ------------------------------------------------------------


class Elements(HTMLParser):
    """Each element with its attributes, each link with its text, the visible text,
    and anything a browser would treat as markup but our layout never writes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple]] = []
        self.links: list[list[str]] = []  # [href, text]
        self.odd: list[str] = []
        self.text: list[str] = []
        self._in_link = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))
        if tag == "a":
            self.links.append([dict(attrs).get("href") or "", ""])
            self._in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_link = False

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))

    def handle_data(self, data):
        self.text.append(data)
        if self._in_link:
            self.links[-1][1] += data

    def handle_comment(self, data):
        self.odd.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.odd.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.odd.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.odd.append(f"<![{data}]>")


def _layout_elements(language: str) -> set[tuple[str, tuple]]:
    """What our layout writes around any text, in the email's language (its <html
    lang>), and the paragraphs and line breaks the text is set in."""
    with translation.override(language):
        layout = Elements(render_to_string("email/layout.html", {"body": "", "subject": "s"}))
    return {*layout.elements, ("p", ()), ("br", ())}


def _is_ours(href: str) -> bool:
    return href == settings.SITE_URL or href.startswith(settings.SITE_URL + "/")


HIDDEN_IN_A_LINE = {"Cc", "Zl", "Zp"}
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.id)
@pytest.mark.parametrize("email", EMAILS)
def test_hostile_text_stays_text_in_every_email(
    email,
    hostile,
    member,
    their_counselor,
    their_supporter,
    client,
    django_capture_on_commit_callbacks,
):
    people = {"member": member, "counselor": their_counselor, "supporter": their_supporter}
    for person in people.values():
        # Saved as typed, like an account older than today's checks on names.
        person.display_name = hostile.text
        person.save()
    people["client"] = client
    EMAILS[email](people, hostile, django_capture_on_commit_callbacks)

    assert mail.outbox, f"{email} was not sent"
    for message in mail.outbox:  # one, or one to each person told
        _check(message, hostile)


def _check(message, hostile: Hostile) -> None:
    assert not any(
        c in BIDI_CONTROLS or unicodedata.category(c) in HIDDEN_IN_A_LINE for c in message.subject
    ), repr(message.subject)
    message.message().as_bytes()  # every header is valid

    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    parsed = Elements(html)
    assert not parsed.odd, parsed.odd
    language = next(dict(attrs)["lang"] for tag, attrs in parsed.elements if tag == "html")
    assert language.split("-")[0] in {code for code, _ in settings.LANGUAGES}, language
    allowed = _layout_elements(language)
    extra = [e for e in parsed.elements if e not in allowed and e[0] != "a"]
    assert not extra, f"elements our layout never writes: {extra}"
    for tag, attrs in parsed.elements:
        if tag == "a":
            assert [name for name, _ in attrs] == ["href"], attrs
    ours = {word for word in message.body.split() if _is_ours(word)}
    assert ours <= {href for href, _ in parsed.links}, "our own links are live"
    for href, text in parsed.links:
        assert _is_ours(href), f"a live link away from our site: {href}"
        assert text == href, f"a link reads {text!r} but goes to {href}"
    assert hostile.seen in "".join(parsed.text), "the reader still sees what was typed"
