"""The email class every email leaves with builds, with the standard library's classic
MIME classes, the message Django builds: read back by a mail program, the same headers
and the same parts, in English and in Spanish."""

import email
import email.errors
import email.policy
import random
import smtplib
import string

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend

from recovery_support.emails import (
    _POLICY,
    Email,
    SmtpBackend,
    mail_connection,
    with_html_alternative,
)
from tests.smtp_sink import SmtpSink

FIELDS = {
    "subject": "Time for your check-in",
    "body": "Hello Zoë,\n\nhttps://recovery.example.org/plan/\n\n" + "A long line. " * 12,
    "from_email": "Recovery Support <care@example.org>",
    "to": ["jordan@example.org"],
    "headers": {"Message-ID": "<reminder-1@example.org>", "Date": "Tue, 1 Dec 2026 09:00 +0000"},
}
SPANISH_SUBJECT = {**FIELDS, "subject": "Es hora de registrar cómo estás " + "ñ" * 80}
SPANISH = {
    **FIELDS,
    "subject": "Es hora de registrar cómo estás, Zoë " + "ñ" * 80,
    "from_email": "Apoyo en la Recuperación <care@example.org>",
    "to": ["Zoë Núñez <zoe@example.org>", "ana@example.org"],
    "cc": ["Dr. Ade <ade@example.org>"],
    "reply_to": ["Ana <ana@example.org>"],
}


def _read(message: EmailMultiAlternatives) -> dict:
    """What a mail program reads: every header decoded, and each part's type and text."""
    return _read_bytes(message.message(policy=email.policy.SMTP).as_bytes())


def _read_bytes(raw: bytes) -> dict:
    parsed = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
    parts = [
        # (Django may send a part base64-encoded, with CRLF inside: the same text.)
        (
            part.get_content_type(),
            part.get_content_charset(),
            part.get_content().replace("\r\n", "\n"),
        )
        for part in parsed.walk()
        if not part.is_multipart()
    ]
    headers = {
        name: str(parsed[name])
        for name in ("Subject", "From", "To", "Cc", "Reply-To", "Date", "Message-ID")
    }
    return {
        "headers": headers,
        "type": parsed.get_content_type(),
        "mime": parsed["MIME-Version"],
        "parts": parts,
    }


@pytest.mark.parametrize("fields", [FIELDS, SPANISH], ids=["english", "spanish"])
@pytest.mark.parametrize("html", [True, False], ids=["with-html", "text-only"])
def test_our_email_reads_as_djangos(fields, html):
    ours, django = Email(**fields), EmailMultiAlternatives(**fields)
    if html:
        ours, django = with_html_alternative(ours), with_html_alternative(django)
    assert _read(ours) == _read(django)
    assert type(ours.message()).__module__.startswith("email.mime"), "the classic classes"


@pytest.mark.parametrize(
    "fields", [FIELDS, SPANISH_SUBJECT, SPANISH], ids=["english", "spanish-subject", "spanish"]
)
@pytest.mark.parametrize("html", [True, False], ids=["with-html", "text-only"])
def test_the_bytes_we_send_read_as_the_message(fields, html):
    """What SMTP carries, written without building a Message: the same headers and parts,
    CRLF at every line end, no line longer than 78."""
    message = Email(**fields)
    if html:
        message = with_html_alternative(message)
    wire = message.wire()
    assert wire is not None
    assert _read_bytes(wire) == _read(message)
    assert wire.count(b"\n") == wire.count(b"\r\n") == wire.count(b"\r")
    assert max(map(len, wire.split(b"\r\n"))) <= 78


def test_any_text_reads_back_whole_from_the_bytes_we_send():
    """Line breaks of every kind, trailing spaces, dots, '=', long lines, other scripts."""
    rng = random.Random(18)
    pieces = ["a", "Zoë", " ", "\t", "\n", "\r\n", "\r", ".", "=", "From ", "--=_", "💙"]
    pieces += ["x" * 90, "  \n", "é" * 40, ".\n", "=\n", "https://recovery.example.org/x"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        message = with_html_alternative(Email(**{**FIELDS, "body": text}))
        wire = message.wire()
        assert _read_bytes(wire)["parts"] == _read(message)["parts"], text
        assert wire.count(b"\n") == wire.count(b"\r\n") == wire.count(b"\r"), text
        assert max(map(len, wire.split(b"\r\n"))) <= 78, text


@pytest.mark.parametrize(
    "fields",
    [
        {**FIELDS, "to": ["a-very-long-address-" + "x" * 40 + "@example.org", "b@example.org"]},
        {**FIELDS, "headers": {"X-Note": "Zoë"}},
    ],
    ids=["long-to", "extra-header-not-ascii"],
)
def test_what_does_not_fit_on_a_line_is_left_to_the_message(fields):
    assert Email(**fields).wire() is None


def test_our_backend_sends_lines_ended_by_crlf(settings):
    """The sink refuses a bare line feed, as strict mail servers do: the bytes we write
    and the message() Django's own path sends (an address too long for one line)."""
    long_to = {**FIELDS, "to": ["a-very-long-address-" + "x" * 40 + "@example.org", "b@e.org"]}
    with SmtpSink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "recovery_support.emails.SmtpBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "use_tls": False},
            }
        }
        named = {**SPANISH_SUBJECT, "to": ["Zoë Núñez <zoe@example.org>"]}
        for fields in (FIELDS, named, long_to):
            assert with_html_alternative(Email(**fields)).send() == 1
        assert len(sink.received) == 3
        assert [m["Message-ID"] for m in sink.messages] == ["<reminder-1@example.org>"] * 3


@pytest.fixture
def sink(settings):
    with SmtpSink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "recovery_support.emails.SmtpBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "use_tls": False},
            }
        }
        yield sink


def _send_over(connection, **fields) -> int:
    return connection.send_messages([with_html_alternative(Email(**{**FIELDS, **fields}))])


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-by-one"])
def test_a_refused_address_fails_its_email_only_and_the_connection_goes_on(sink, pipelining):
    """The envelope goes pipelined where the server offers it, by smtplib's sendmail
    where not: a refusal raises the same either way, and the next email on the
    connection still arrives."""
    sink.pipelining = pipelining
    sink.refuse = {"gone@example.org", "blocked@example.org"}
    connection = mail_connection()
    connection.open()
    try:
        assert _send_over(connection, to=["jordan@example.org", "gone@example.org"]) == 1
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            _send_over(connection, to=["gone@example.org"])
        assert _send_over(connection, to=["ana@example.org"]) == 1
        with pytest.raises(smtplib.SMTPSenderRefused):
            _send_over(connection, from_email="blocked@example.org")
        assert _send_over(connection, to=["sam@example.org"]) == 1
    finally:
        connection.close()
    assert sink.connections == 1
    assert [recipients for _, recipients in sink.envelopes] == [
        ["jordan@example.org"],
        ["ana@example.org"],
        ["sam@example.org"],
    ]


def test_lines_that_start_with_a_dot_arrive_whole(sink):
    text = ".\n..\n.hidden\nend.\n."
    assert with_html_alternative(Email(**{**FIELDS, "body": text})).send() == 1
    assert _read_bytes(sink.received[0])["parts"][0] == ("text/plain", "utf-8", text + "\n")


def test_the_date_and_message_id_are_made_when_not_given():
    fields = {**FIELDS, "headers": {}}
    message = email.message_from_bytes(Email(**fields).message().as_bytes())
    assert message["Date"] and message["Message-ID"].endswith(">")
    assert (
        message["Message-ID"]
        != email.message_from_bytes(Email(**fields).message().as_bytes())["Message-ID"]
    )


@pytest.mark.parametrize(
    "fields",
    [
        {**FIELDS, "subject": "Hi\nBcc: everyone@evil.example"},
        {**FIELDS, "headers": {"X-Note": "a\r\nBcc: everyone@evil.example"}},
        {**FIELDS, "to": ["jordan@example.org\nBcc: everyone@evil.example"]},
    ],
    ids=["subject", "extra-header", "address"],
)
def test_a_line_break_in_a_header_is_refused_as_django_refuses_it(fields):
    with pytest.raises(ValueError):
        Email(**fields).message().as_bytes()
    with pytest.raises(ValueError):
        EmailMultiAlternatives(**fields).message().as_bytes()


def test_what_the_classic_classes_do_not_cover_is_built_by_django():
    message = Email(**{**FIELDS, "to": ["zoë@example.org"]})
    message.attach("plan.txt", "Walk every day", "text/plain")
    built = message.message()
    assert isinstance(built, email.message.EmailMessage)
    assert built.get_all("To") == ["zoë@example.org"]


def test_a_body_that_looks_like_our_boundary_reads_back_whole():
    """Our boundary is never searched for in the parts: "=" is always encoded in them."""
    tricky = "Hi,\n--=_0123456789abcdef0123456789abcdef\n--=_\n=_ --\nend\n"
    message = with_html_alternative(Email(**{**FIELDS, "body": tricky}))
    ours, django = _read(message), _read(with_html_alternative(EmailMultiAlternatives(**FIELDS)))
    assert ours["parts"][0] == ("text/plain", "utf-8", tricky)
    assert len(ours["parts"]) == len(django["parts"]) == 2


ADDRESSES = [
    "jordan@example.org",
    "first.last+tag@mail.example.co.uk",
    "Recovery Support <care@example.org>",
    "care@localhost",
    '"Ana, Sam" <ana@example.org>',
    "zoë@example.org",
    "ana@exämple.org",
    "Zoë Núñez <zoe@example.org>",
    "a..b@example.org",
    ".a@example.org",
    "ana@example.org\nBcc: x@example.org",
    "ana@example.org, sam@example.org",
    "not an address",
    "@example.org",
    "",
]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("force_ascii", [True, False])
def test_our_smtp_backend_checks_an_address_as_djangos_does(address, force_ascii):
    """The same answer, or the same refusal, for every address: the plain ones are
    answered without Django's parser, the rest by it (once a connection)."""
    ours, django = SmtpBackend.__new__(SmtpBackend), EmailBackend.__new__(EmailBackend)
    ours._prepared = {}
    try:
        expected = django.prep_address(address, force_ascii=force_ascii)
    except ValueError as refused:
        with pytest.raises(ValueError, match="Invalid address") as ours_refused:
            ours.prep_address(address, force_ascii=force_ascii)
        assert str(ours_refused.value) == str(refused)
    else:
        assert ours.prep_address(address, force_ascii=force_ascii) == expected
        assert ours.prep_address(address, force_ascii=force_ascii) == expected  # remembered


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_is_quoted_for_the_envelope_as_smtplib_quotes_it(address):
    from recovery_support.emails import _quoted

    assert _quoted(address) == smtplib.quoteaddr(address)


def _folded(policy, name: str, value: str):
    try:
        return policy._fold(name, value, False)
    except email.errors.HeaderParseError as error:
        return type(error)


def test_our_policy_writes_every_header_as_compat32_does():
    """Headers written as they are where compat32 would not fold them, and by compat32
    where it would: long, not ASCII, tabs, controls, line breaks of every kind."""
    values = [
        "Time for your check-in",
        "<reminder-1@example.org>",
        "x" * 69,
        "x" * 70,
        "Zoë",
        "a\tb",
        "a\x0bb",
        "a\x0cb",
        "a\x1cb",
        "a\x85b",
        "a\nb",
        "a\r\nBcc: x@example.org",
        "  spaced  out  ",
        "",
    ]
    rng = random.Random(14)
    alphabets = [string.printable[:95], string.printable + "\x00\x7f\x1c\x1d\x1e\x85é"]
    for n in range(4000):
        alphabet = alphabets[n % 2]
        values.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
    for linesep in ("\n", "\r\n"):
        ours, theirs = _POLICY.clone(linesep=linesep), email.policy.compat32.clone(linesep=linesep)
        for name in ("To", "Subject", "Message-ID"):
            for value in values:
                assert _folded(ours, name, value) == _folded(theirs, name, value), (name, value)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "subject", ["Time for your check-in", 'Ana <b>&amp; "friends"</b>', "\x00body\x00 first"]
)
def test_the_html_layout_drawn_once_is_the_one_the_template_draws(language, subject):
    """Kept per language and subject, the layout around a body is what the template
    draws for that body: the subject escaped in the title, the page in the language of
    the email, even for a subject that holds the marker the body is placed at."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from recovery_support.emails import _html_body, html_from_text

    text = "Hello Zoë <script>,\n\nhttps://evil.example/x & more"
    with translation.override(language):
        expected = render_to_string(
            "email/layout.html", {"body": _html_body(text), "subject": subject}
        )
        assert html_from_text(text, subject=subject) == expected
        assert html_from_text("Another body", subject=subject) == render_to_string(
            "email/layout.html", {"body": _html_body("Another body"), "subject": subject}
        )
    assert f'lang="{language}"' in expected
