"""The email class the batches send with builds the same message as Django's."""

import email.policy

from django.core.mail import EmailMultiAlternatives

from recovery_support.emails import Email, with_html_alternative


def test_an_email_built_with_the_header_classes_made_once_is_the_same_message():
    fields = {
        "subject": "Time for your check-in",
        "body": "Hello Zoë,\n\nhttps://recovery.example.org/plan/\n",
        "from_email": "Recovery Support <care@example.org>",
        "to": ["zoë@example.org"],
        "headers": {"Message-ID": "<reminder-1@example.org>", "Date": "Tue, 1 Dec 2026 09:00"},
    }
    ours = with_html_alternative(Email(**fields)).message(policy=email.policy.SMTP)
    django = with_html_alternative(EmailMultiAlternatives(**fields)).message(
        policy=email.policy.SMTP
    )
    # The same but for the random MIME boundary.
    same = ours.as_bytes().replace(ours.get_boundary().encode(), b"B")
    assert same == django.as_bytes().replace(django.get_boundary().encode(), b"B")
    assert ours.get_all("To") == ["zoë@example.org"]
    # Twice: the classes made the first time serve again.
    assert (
        Email(**fields).message().as_bytes()
        == EmailMultiAlternatives(**fields).message().as_bytes()
    )
