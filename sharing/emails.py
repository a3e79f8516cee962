"""The emails sharing sends. Only what the reader needs: never moods, cravings,
notes or plan details, which stay behind the sign-in. Each is written in its
recipient's language (in_language_of), not the language of whoever set it off."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from recovery_support.emails import email_message, in_language_of, send_email
from recovery_support.models import User
from recovery_support.push import notices
from sharing.models import Comment, Grant, Invitation, Review, Role


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def invitation_send(*, invitation_id: int, token: str) -> None:
    invitation = (
        Invitation.objects.select_related("member")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:  # cancelled before the email went out
        return
    # The language the member chose for them (an address may have no account yet).
    with in_language_of(invitation.language or invitation.member):
        send_email(
            to=invitation.email,
            subject=gettext("%(name)s invites you to Recovery Support")
            % {"name": invitation.member},
            template="sharing/email/invitation.txt",
            context={
                "invitation": invitation,
                "is_counselor": invitation.role == Role.COUNSELOR,
                "link": settings.SITE_URL + reverse("sharing:invitation-open", args=[token]),
            },
            **{"Message-ID": f"<invitation-{invitation.pk}@{_host()}>"},
        )


def access_ended_send(*, emails_to: list[str], member_name: str) -> None:
    """To the people who had access to a deleted account, each in their language (the
    task has their addresses: the account that linked them is gone)."""
    readers = {u.email.casefold(): u for u in User.objects.filter(email__in=emails_to)}
    for email in emails_to:
        with in_language_of(readers.get(email.casefold())):
            send_email(
                to=email,
                subject=gettext("Your access has ended"),
                template="sharing/email/access_ended.txt",
                context={"member_name": member_name},
            )


def access_left_send(*, grant_id: int) -> None:
    """Tell the member, kindly, that someone stepped back. Their name stays out of
    the subject (a header): it is text they typed."""
    grant = Grant.objects.select_related("member", "grantee").filter(pk=grant_id).first()
    if grant is None:  # the member deleted their account meanwhile
        return
    with in_language_of(grant.member):
        send_email(
            to=grant.member.email,
            subject=gettext("A change in who you share with"),
            template="sharing/email/access_left.txt",
            context={
                "grant": grant,
                "member": grant.member,
                "grantee": grant.grantee,
                "link": settings.SITE_URL + reverse("sharing:sharing"),
            },
            **{"Message-ID": f"<access-left-{grant.pk}@{_host()}>"},
        )


def alert_send(*, alert, kind_context: dict) -> None:
    """Times in an alert are the member's ("3:20 AM their time"): the template's date
    filters show an instant in the active zone, which in a worker is the server's, so
    the member's is active while it is drawn."""
    grant = alert.grant
    page = "sharing:client" if grant.is_counselor else "sharing:supporting"
    with timezone.override(ZoneInfo(grant.member.time_zone)), in_language_of(grant.grantee):
        send_email(
            to=grant.grantee.email,
            subject=gettext("%(name)s may need you") % {"name": grant.member},
            template="sharing/email/alert.txt",
            context={
                "alert": alert,
                "member": grant.member,
                "link": settings.SITE_URL + reverse(page, args=[grant.member_id]),
                **kind_context,
            },
            **{"Message-ID": f"<alert-{alert.pk}@{_host()}>"},
        )


def _note(kind: str, note_id: int) -> Review | Comment | None:
    """A counselor's review or comment the member has not read yet."""
    model = Review if kind == "review" else Comment
    note = model.objects.select_related("plan__owner").filter(pk=note_id, read_at=None)
    return note.exclude(by_member=True).first() if model is Comment else note.first()


def _noted(notice) -> tuple[str, int]:
    """The note a notice is about ("review-12": ("review", 12))."""
    kind, _, pk = notice.key.partition("-")
    return kind, int(pk)


def counselor_note_send(*, kind: str, note_id: int) -> bool:
    """Tell the member a counselor left them a note, and only that: no word of it
    and nothing of their health, by the way they chose for notes (push/notices.py:
    held in their quiet hours). Returns whether it went now."""
    note = _note(kind, note_id)
    if note is None:
        return False
    return notices.notice_send(
        recipient_id=note.plan.owner_id, kind="counselor_note", key=f"{kind}-{note_id}"
    )


def counselor_note_wanted(notice) -> bool:
    """Not when the note is gone or read already, when the member turned these
    emails off for whoever wrote it, or when an older note still waits unread: they
    were told of that one and have not been back since, so once is enough."""
    kind, note_id = _noted(notice)
    note = _note(kind, note_id)
    if note is None:
        return False
    member = note.plan.owner
    author = note.counselor_id if kind == "review" else note.author_id
    turned_off = Grant.objects.filter(
        member=member, grantee_id=author, revoked_at=None, email_notes=False
    )
    older = [
        Review.objects.filter(plan__owner=member, read_at=None, created_at__lt=note.created_at),
        Comment.objects.filter(
            plan__owner=member, by_member=False, read_at=None, created_at__lt=note.created_at
        ),
    ]
    return not (turned_off.exists() or any(rows.exists() for rows in older))


def counselor_note_email(notice) -> EmailMultiAlternatives:
    """Built in the recipient's language: the outbox calls it inside in_language_of."""
    kind, note_id = _noted(notice)
    return email_message(
        to=notice.recipient.email,
        subject=gettext("A note from your counselor"),
        template="sharing/email/counselor_note.txt",
        context={
            "member": notice.recipient,
            "link": settings.SITE_URL + reverse("sharing:notes"),
            "sharing_link": settings.SITE_URL + reverse("sharing:sharing"),
        },
        **{"Message-ID": f"<note-{kind}-{note_id}@{_host()}>"},
    )


def digest_send(*, counselor, news) -> None:
    """A counselor's daily news (sharing/digests.py): which clients answered a comment
    or changed their plan, with a link to each one's page, and nothing of what they
    wrote. Names stay out of the subject (a header): they are text people typed."""
    with in_language_of(counselor):
        send_email(
            to=counselor.email,
            subject=gettext("Your clients today"),
            template="sharing/email/digest.txt",
            context={
                "counselor": counselor,
                "clients": [
                    {
                        "member": item.member,
                        "answered": item.answered,
                        "changed": item.changed,
                        "link": settings.SITE_URL
                        + reverse("sharing:client", args=[item.member.pk]),
                    }
                    for item in news
                ],
            },
        )
