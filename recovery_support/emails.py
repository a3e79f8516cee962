"""Every email we send has a plain-text body and an HTML version of it.

The text template is the single source; the HTML part is that text in our
email layout, with links to our own site made clickable, so the two never
drift apart.
"""

import binascii
import contextlib
import email.policy
import functools
import html
import re
import secrets
import smtplib
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends import smtp
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import normalize_newlines

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
    """The text body as HTML paragraphs, set as Django's linebreaks filter sets them (a
    blank line between two, <br> within one): everything escaped, and live links only
    to our own site.

    Text templates turn autoescaping off, so the names and notes in `text` are as
    people typed them, though render_to_string marks the whole string safe: escaped
    here regardless of that mark. Django's urlize is not used: it would make a live link
    of any address a person typed ("https://evil.example/x" in a display name), and a
    link from our domain is what a phishing email needs. Written with str methods, not
    format_html and the filter, as it runs for each of a batch of reminders."""
    links, paragraphs = _our_links(), []
    for paragraph in re.split("\n{2,}", normalize_newlines(str(text))):
        parts, start = [], 0
        for match in links.finditer(paragraph):
            url = html.escape(match.group())
            parts += [html.escape(paragraph[start : match.start()]), f'<a href="{url}">{url}</a>']
            start = match.end()
        parts.append(html.escape(paragraph[start:]))
        paragraphs.append("<p>" + "".join(parts).replace("\n", "<br>") + "</p>")
    return SafeString("\n\n".join(paragraphs))


# The classic MIME classes of the standard library, as Django built emails until 6.0:
# bodies in UTF-8, quoted-printable like Django's (readable in the raw message).
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


class _Policy(Compat32):
    """compat32, the classic classes' policy, with a header that needs no folding
    (printable ASCII that fits on its line) written as it is, where compat32 parses
    and encodes each header through the Header class: the same bytes for every
    header (tests/recovery_support/test_emails.py), a third less time writing one."""

    def _fold(self, name, value, sanitize):
        if isinstance(value, str) and _fits(name, value, self.max_line_length or 0):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_POLICY = _Policy()
_SMTP_POLICY = _POLICY.clone(linesep="\r\n")


class Email(EmailMultiAlternatives):
    """An email built with the standard library's classic MIME classes: a third of what
    Django's (the modern email API, which parses every header it sets) costs, which
    counts for a batch of ten thousand reminders. The same headers and parts, read
    back, as Django's (tests/recovery_support/test_emails.py). Anything this does not
    cover (attachments, other alternatives, an address that is not ASCII) is built by
    Django."""

    def message(self, *, policy=email.policy.default) -> Message:
        if not self._classic():
            return super().message(policy=policy)
        # Written with the line endings asked for: CRLF for SMTP, which sends bytes as
        # they are.
        ours = _SMTP_POLICY if policy.linesep == "\r\n" else _POLICY
        if self.alternatives:
            msg = MIMEMultipart("alternative", boundary=_boundary(), policy=ours)
            msg.attach(_part(self.body, self.content_subtype, ours))
            for content, _ in self.alternatives:
                msg.attach(_part(str(content), "html", ours))
        else:
            msg = _part(self.body, self.content_subtype, ours)
        subject = str(self.subject)
        msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")
        for name, value in self._headers():
            msg[name] = value
        return msg

    def _headers(self) -> list[tuple[str, str]]:
        """Every header but the subject and the MIME ones, as both writers write them:
        the addresses (names encoded), a date and a Message-ID unless given, the rest."""
        headers = []
        for name, addresses in (
            ("From", [str(self.extra_headers.get("From", self.from_email))]),
            ("To", self.to),
            ("Cc", self.cc),
            ("Reply-To", self.reply_to),
        ):
            if addresses:
                headers.append((name, ", ".join(map(_wire_address, addresses))))
        names = {name.lower() for name in self.extra_headers}
        if "date" not in names:
            headers.append(("Date", formatdate(usegmt=True)))
        if "message-id" not in names:
            headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
        return headers + [
            (name, str(value))
            for name, value in self.extra_headers.items()
            if name.lower() not in {"from", "to", "cc", "reply-to"}
        ]

    def wire(self) -> bytes | None:
        """The message as SMTP carries it (CRLF line endings), written out directly,
        without building a Message: a tenth of the standard library's time, which
        counts for a batch of reminders. For a message `message()` writes with the
        classic classes whose headers each fit on one line (names encoded as compat32
        encodes them, the subject encoded and folded); None for any other (the backend
        then sends `message()`). A mail program reads the same
        headers and parts as from `message()` (tests/recovery_support/test_emails.py)."""
        if not self._classic():
            return None
        subject = str(self.subject)
        headers = [("Subject", subject)] if subject.isascii() else []
        headers += self._headers()
        if not all(_fits(name, value) for name, value in headers):
            return None
        lines = [f"{name}: {value}" for name, value in headers]
        if not subject.isascii():  # encoded and folded as compat32 does
            encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep=_CRLF)
            lines.insert(0, f"Subject: {encoded}")
        if not self.alternatives:
            return _wire_part(self.body, self.content_subtype, lines)
        boundary = _boundary()
        parts = [
            _wire_part(self.body, self.content_subtype),
            *(_wire_part(str(content), "html") for content, _ in self.alternatives),
        ]
        head = _CRLF.join(
            [
                f'Content-Type: multipart/alternative;{_CRLF} boundary="{boundary}"',
                _MIME_VERSION,
                *lines,
            ]
        )
        separator = f"{_CRLF}--{boundary}{_CRLF}".encode()
        return b"".join(
            [
                head.encode(),
                _CRLF.encode(),
                separator,
                separator.join(parts),
                f"{_CRLF}--{boundary}--{_CRLF}".encode(),
            ]
        )

    def _classic(self) -> bool:
        addresses = [str(a) for a in (self.from_email, *self.to, *self.cc, *self.reply_to)]
        headers = [str(self.subject), *addresses, *map(str, self.extra_headers.values())]
        return (
            not self.attachments
            and all(mimetype == "text/html" for _, mimetype in self.alternatives)
            and not any(c in value for value in headers for c in "\r\n")
            and "bcc" not in {name.lower() for name in self.extra_headers}
            and all(map(_ascii_address, addresses))
        )


def _boundary() -> str:
    """A boundary that no part can hold: each part is quoted-printable, which writes
    every "=" as "=3D", and a boundary line is "--=_" and more. Given one, the standard
    library's generator does not search the parts for its own (a regular expression
    compiled for each message)."""
    return "=_" + secrets.token_hex(16)


def _part(text: str, subtype: str, policy: Compat32 = _POLICY) -> MIMEText:
    """A body part, ending in a line break as Django's do."""
    return MIMEText(text if text.endswith("\n") else text + "\n", subtype, _UTF8, policy=policy)


_CRLF = "\r\n"
_MIME_VERSION = "MIME-Version: 1.0"
_LINE_LENGTH = 78  # RFC 5322's recommended limit, as compat32 folds


def _fits(name: str, value: str, length: int = _LINE_LENGTH) -> bool:
    """A header written as it is: printable ASCII on one line of at most `length`."""
    return value.isascii() and value.isprintable() and len(name) + 2 + len(value) <= length


def _wire_address(address: str) -> str:
    """A bare address as it is; `Name <addr>` through the standard library (`_address`),
    whose answer is the same for the same sender all batch long."""
    return address if _PLAIN_ADDRESS.fullmatch(address) else _address(address)


def _wire_part(text: str, subtype: str, headers: list[str] | None = None) -> bytes:
    """A quoted-printable UTF-8 body part with CRLF line endings, as `_part` writes it
    (binascii's encoder in C, where the standard library's is Python), after `headers`
    for a message of one part."""
    text = normalize_newlines(text)
    body = binascii.b2a_qp((text if text.endswith("\n") else text + "\n").encode(), istext=True)
    head = [
        f'Content-Type: text/{subtype}; charset="utf-8"',
        _MIME_VERSION,
        "Content-Transfer-Encoding: quoted-printable",
        *(headers or []),
    ]
    return (_CRLF.join(head) + _CRLF + _CRLF).encode() + body.replace(b"\n", b"\r\n")


@functools.lru_cache(maxsize=256)
def _ascii_address(address: str) -> bool:
    """Whether the address itself (not its name) is ASCII: a bare address at once, any
    other parsed once (the sender's is the same for every email)."""
    return bool(_PLAIN_ADDRESS.fullmatch(address)) or parseaddr(address)[1].isascii()


@functools.lru_cache(maxsize=256)
def _address(address: str) -> str:
    """`Name <addr>` with the name encoded when it is not ASCII."""
    name, addr = parseaddr(address)
    return formataddr((name, addr), charset="utf-8")


def html_from_text(text: str, *, subject: str) -> str:
    head, tail = _layout(translation.get_language(), subject)
    return head + _html_body(text) + tail


_BODY = "\x00body\x00"


@functools.lru_cache(maxsize=64)
def _layout(language: str | None, subject: str) -> tuple[str, str]:
    """The email layout before and after its body, drawn once per language and subject
    (a batch of reminders shares both). The last marker is the body's: a subject holding
    one comes before it."""
    page = render_to_string("email/layout.html", {"body": SafeString(_BODY), "subject": subject})
    head, _, tail = page.rpartition(_BODY)
    return head, tail


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


# A bare address of ASCII letters, digits and the usual signs, dot-separated: its
# addr-spec is itself. Anything else (a display name, quotes, comments, other
# scripts, line breaks) goes through Django's parser.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


class SmtpBackend(smtp.EmailBackend):
    """Django's SMTP backend, with its address check made cheap: Django parses every
    sender and recipient with the modern email API, about half a millisecond each.
    A bare address is its own answer, and any other is parsed once per connection
    (the sender's is the same for a whole batch). tests/recovery_support/test_emails.py
    finds Django's answers, or its error, for both."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepared: dict[tuple[str, bool], str] = {}

    def _send(self, email_message) -> bool:
        """Django's, sending the bytes an `Email` writes itself when it can."""
        data = email_message.wire() if isinstance(email_message, Email) else None
        if data is None:
            return super()._send(email_message)
        if not email_message.recipients():
            return False
        sender = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        try:
            _sendmail(self.connection, sender, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True

    def prep_address(self, address, force_ascii=True):
        if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
            return address
        key = (str(address), force_ascii)
        if key not in self._prepared:
            self._prepared[key] = super().prep_address(address, force_ascii)
        return self._prepared[key]


def _sendmail(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> None:
    """smtplib's sendmail, with the envelope pipelined where the server offers it (RFC
    2920, as most do): MAIL, RCPT and DATA go in one write and their replies are read
    together, two round trips an email instead of four. Refusals raise what sendmail
    raises, and leave the connection ready for the next email."""
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("pipelining"):
        smtp.sendmail(sender, recipients, data)
        return
    envelope = [f"MAIL FROM:{_quoted(sender)}"]
    envelope += [f"RCPT TO:{_quoted(recipient)}" for recipient in recipients]
    smtp.send(("\r\n".join([*envelope, "DATA"]) + "\r\n").encode("ascii"))
    mail = smtp.getreply()
    refused = {
        recipient: reply
        for recipient in recipients
        if (reply := smtp.getreply())[0] not in (250, 251)
    }
    code, message = smtp.getreply()
    if code == 354 and (mail[0] != 250 or len(refused) == len(recipients)):
        smtp.send(b".\r\n")  # a server that took DATA anyway: end it with nothing sent
        smtp.getreply()
    if mail[0] != 250 or len(refused) == len(recipients) or code != 354:
        _reset(smtp)
        if mail[0] != 250:
            raise smtplib.SMTPSenderRefused(*mail, sender)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        raise smtplib.SMTPDataError(code, message)
    body = re.sub(rb"(?m)^\.", b"..", data)  # a line starting with "." gets another
    smtp.send(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
    code, message = smtp.getreply()
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, message)


def _quoted(address: str) -> str:
    """smtplib's quoteaddr: a bare address is its own answer, without the standard
    library's address parser (about a tenth of a millisecond for the two of an email)."""
    return f"<{address}>" if _PLAIN_ADDRESS.fullmatch(address) else smtplib.quoteaddr(address)


def _reset(smtp: smtplib.SMTP) -> None:
    """Ready for the next email after a refusal (a server that has hung up is left to
    the next send to find)."""
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def mail_connection():
    """A connection to the mail server, for a batch of emails: open it, send each with
    `send_messages([message])`, close it. (Django 6.1's `mailers.default`, the same
    backend as `get_connection()`, which is deprecated.)"""
    return mailers.default


def send_email(*, to: str, subject: str, template: str, context: dict, **headers: str) -> None:
    """Render a text template and send it with its HTML version."""
    email_message(to=to, subject=subject, template=template, context=context, **headers).send()
