"""Every email we send has a plain-text body and an HTML version of it.

The text template is the single source; the HTML part is that text in our
email layout, with links to our own site made clickable, so the two never
drift apart.
"""

import contextlib
import email.policy
import re
from email.headerregistry import HeaderRegistry

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from recovery_support.languages import locale_of
from recovery_support.validators import one_line


def in_language_of(person) -> contextlib.AbstractContextManager:
    """Build what goes to `person` in their language, not the sender's:

        with in_language_of(recipient):
            send_email(to=recipient.email, subject=gettext("..."), ...)

    Render the subject, the body and any push text inside the block (gettext, not
    gettext_lazy, or a lazy string evaluated inside it). `person` is a User (their
    language, with their country's dates and times: "es-us"), a language code for an
    address with no account yet ("es"), or None (the language active now)."""
    return translation.override(locale_of(person))


def _our_links() -> re.Pattern:
    """An address on our own site (SITE_URL, then a path or the end of the word), less
    the punctuation that may follow it in a sentence. Not SITE_URL followed by "@",
    "." or ":", which would go elsewhere."""
    return re.compile(
        re.escape(settings.SITE_URL) + r"(?:/[^\s<>\"']*?)?(?=[.,;:!?)]*(?:[\s<>\"']|$))"
    )


def _html_body(text: str) -> SafeString:
    """The text body as HTML (the layout sets it in paragraphs): everything escaped,
    and live links only to our own site.

    Text templates turn autoescaping off, so the names and notes in `text` are as
    people typed them, though render_to_string marks the whole string safe: escape()
    ignores that mark. Django's urlize is not used: it would make a live link of any
    address a person typed ("https://evil.example/x" in a display name), and a link
    from our domain is what a phishing email needs."""
    parts, start = [], 0
    for match in _our_links().finditer(text):
        parts.append(escape(text[start : match.start()]))
        parts.append(format_html('<a href="{0}">{0}</a>', match.group()))
        start = match.end()
    parts.append(escape(text[start:]))
    return format_html_join("", "{}", ((part,) for part in parts))


class _HeaderClasses(HeaderRegistry):
    """The standard library's header registry makes a new class every time it parses
    a header (type() at each lookup): half of what building an email costs. This one
    makes each class once."""

    def __init__(self):
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self._made:
            self._made[key] = super().__getitem__(name)
        return self._made[key]


_POLICIES: dict[int, tuple[email.policy.Policy, email.policy.Policy]] = {}


class Email(EmailMultiAlternatives):
    """An email that builds its MIME message with the header classes made once
    (_HeaderClasses): the same bytes, in half the time, which counts for a batch of
    ten thousand reminders."""

    def message(self, *, policy=email.policy.default):
        given, faster = _POLICIES.get(id(policy), (None, None))
        if given is not policy:
            faster = policy.clone(header_factory=_HeaderClasses())
            _POLICIES[id(policy)] = (policy, faster)
        return super().message(policy=faster)


def html_from_text(text: str, *, subject: str) -> str:
    return render_to_string("email/layout.html", {"body": _html_body(text), "subject": subject})


def with_html_alternative(message: EmailMultiAlternatives) -> EmailMultiAlternatives:
    """Every email leaves through here (send_email, the reminders, allauth's adapter):
    its subject made one clean line, so a name stored with a line break can never make
    sending fail, and its HTML version attached."""
    message.subject = one_line(str(message.subject))
    if not any(mimetype == "text/html" for _, mimetype in message.alternatives):
        message.attach_alternative(
            html_from_text(message.body, subject=message.subject), "text/html"
        )
    return message


def email_message(
    *, to: str, subject: str, template: str, context: dict, **headers: str
) -> EmailMultiAlternatives:
    """A text template rendered, with its HTML version: to send now or in a batch over
    one connection (`mail_connection()`, then its `send_messages`)."""
    body = render_to_string(template, context)
    message = Email(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or None,
    )
    return with_html_alternative(message)


def mail_connection():
    """A connection to the mail server, for a batch of emails: open it, send each with
    `send_messages([message])`, close it. (Django 6.1's `mailers.default`, the same
    backend as `get_connection()`, which is deprecated.)"""
    return mailers.default


def send_email(*, to: str, subject: str, template: str, context: dict, **headers: str) -> None:
    """Render a text template and send it with its HTML version."""
    email_message(to=to, subject=subject, template=template, context=context, **headers).send()
