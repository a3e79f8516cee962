"""Every email we send has a plain-text body and an HTML version of it.

The text template is the single source; the HTML part is that text in our
email layout, with links made clickable, so the two never drift apart.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def html_from_text(text: str, *, subject: str) -> str:
    return render_to_string("email/layout.html", {"text": text, "subject": subject})


def with_html_alternative(message: EmailMultiAlternatives) -> EmailMultiAlternatives:
    if not any(mimetype == "text/html" for _, mimetype in message.alternatives):
        message.attach_alternative(
            html_from_text(message.body, subject=message.subject), "text/html"
        )
    return message


def send_email(*, to: str, subject: str, template: str, context: dict, **headers: str) -> None:
    """Render a text template and send it with its HTML version."""
    from django.conf import settings

    body = render_to_string(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or None,
    )
    with_html_alternative(message).send()
