"""The emails of help requests. What and when only: never the note or the place,
which may say more than the member wants in an inbox, and never anything of the
member's health. Names stay out of subjects (a header): they are text people typed."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recovery_support.emails import send_email
from recovery_support.models import User
from sharing.emails import _host
from sharing.help_requests import audience, when_text
from sharing.models import HelpRequest


def _request(pk: int) -> HelpRequest | None:
    return HelpRequest.objects.select_related("member", "claimed_by").filter(pk=pk).first()


def _send(help_request: HelpRequest, *, to: str, subject: str, template: str, tag: str, **context):
    send_email(
        to=to,
        subject=subject,
        template=f"sharing/email/{template}.txt",
        context={
            "member": help_request.member,
            "what": help_request.get_kind_display().lower(),
            "when": when_text(help_request),
            **context,
        },
        # The same id for a repeat of the same email: mail systems can drop it.
        **{"Message-ID": f"<help-{help_request.pk}-{tag}@{_host()}>"},
    )


def _supporting_link(help_request: HelpRequest) -> str:
    return settings.SITE_URL + reverse("sharing:supporting", args=[help_request.member_id])


def announce_send(*, help_request_id: int) -> int:
    """One email to each supporter the request is offered to, once: the row is locked
    while they go, and marked announced with them (as alerts.py does)."""
    with transaction.atomic():
        help_request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(pk=help_request_id, announced_at__isnull=True, cancelled_at__isnull=True)
            .first()
        )
        if help_request is None:
            return 0
        grants = list(audience(help_request).select_related("grantee"))
        for grant in grants:
            _send(
                help_request,
                to=grant.grantee.email,
                subject="A request for a hand",
                template="help_asked",
                tag=f"asked-{grant.pk}",
                link=_supporting_link(help_request),
            )
        help_request.announced_at = timezone.now()
        help_request.save(update_fields=["announced_at"])
    return len(grants)


def reminder_send(*, help_request: HelpRequest) -> None:
    _send(
        help_request,
        to=help_request.claimed_by.email,
        subject="A reminder of the help you offered",
        template="help_reminder",
        tag="reminder",
        link=_supporting_link(help_request),
    )


def thanks_send(*, help_request_id: int) -> None:
    help_request = _request(help_request_id)
    if help_request is None or help_request.claimed_by is None:
        return
    _send(
        help_request,
        to=help_request.claimed_by.email,
        subject="A thank-you for you",
        template="help_thanks",
        tag="thanks",
        thanks=help_request.thanks,
        link=_supporting_link(help_request),
    )


def cancelled_send(*, help_request_id: int, claimer_id: int) -> None:
    help_request = _request(help_request_id)
    if help_request is None:
        return
    claimer = User.objects.filter(pk=claimer_id).first()
    if claimer is not None:
        _send(
            help_request,
            to=claimer.email,
            subject="Help no longer needed",
            template="help_cancelled",
            tag="cancelled",
        )


def handed_back_send(*, help_request_id: int) -> None:
    help_request = _request(help_request_id)
    if help_request is None or help_request.handed_back_at is None:
        return
    _send(
        help_request,
        to=help_request.member.email,
        subject="A change to the help you asked for",
        template="help_handed_back",
        tag=f"back-{help_request.handed_back_at:%s}",
        name=help_request.handed_back_by_name,
        link=settings.SITE_URL + reverse("sharing:help-requests"),
    )
