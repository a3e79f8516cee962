"""The emails sharing sends. Only what the reader needs: never moods, cravings,
notes or plan details, which stay behind the sign-in."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from recovery_support.emails import send_email
from sharing.models import Grant, Invitation, Role


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
    send_email(
        to=invitation.email,
        subject=f"{invitation.member} invites you to Recovery Support",
        template="sharing/email/invitation.txt",
        context={
            "invitation": invitation,
            "is_counselor": invitation.role == Role.COUNSELOR,
            "link": settings.SITE_URL + reverse("sharing:invitation-open", args=[token]),
        },
        **{"Message-ID": f"<invitation-{invitation.pk}@{_host()}>"},
    )


def access_ended_send(*, emails_to: list[str], member_name: str) -> None:
    for email in emails_to:
        send_email(
            to=email,
            subject="Your access has ended",
            template="sharing/email/access_ended.txt",
            context={"member_name": member_name},
        )


def access_left_send(*, grant_id: int) -> None:
    """Tell the member, kindly, that someone stepped back. Their name stays out of
    the subject (a header): it is text they typed."""
    grant = Grant.objects.select_related("member", "grantee").filter(pk=grant_id).first()
    if grant is None:  # the member deleted their account meanwhile
        return
    send_email(
        to=grant.member.email,
        subject="A change in who you share with",
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
    with timezone.override(ZoneInfo(grant.member.time_zone)):
        send_email(
            to=grant.grantee.email,
            subject=f"{grant.member} may need you",
            template="sharing/email/alert.txt",
            context={
                "alert": alert,
                "member": grant.member,
                "link": settings.SITE_URL + reverse(page, args=[grant.member_id]),
                **kind_context,
            },
            **{"Message-ID": f"<alert-{alert.pk}@{_host()}>"},
        )
