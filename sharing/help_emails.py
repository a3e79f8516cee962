"""The emails of help requests. What and when only: never the note or the place,
which may say more than the member wants in an inbox, and never anything of the
member's health. Names stay out of subjects (a header): they are text people typed.
Each is in its recipient's language, the request's time in the member's zone."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery_support.emails import email_message, in_language_of
from recovery_support.models import User
from recovery_support.push import notices
from sharing.emails import _host
from sharing.help_requests import audience, when_text
from sharing.models import HelpRequest


def _request(pk: int) -> HelpRequest | None:
    return HelpRequest.objects.select_related("member", "claimed_by").filter(pk=pk).first()


def _message(
    help_request: HelpRequest, *, to, subject, template: str, tag: str, **context
) -> EmailMultiAlternatives:
    """The email to `to` (a User), in their language: `subject` is lazy, and it, the
    kind of help and its time are all worded inside in_language_of."""
    with in_language_of(to):
        return email_message(
            to=to.email,
            subject=str(subject),
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


def _send(help_request: HelpRequest, **message) -> None:
    _message(help_request, **message).send()


def _supporting_link(help_request: HelpRequest) -> str:
    return settings.SITE_URL + reverse("sharing:supporting", args=[help_request.member_id])


def announce_send(*, help_request_id: int) -> int:
    """Tell each supporter the request is offered to, once, the way each chose for
    help requests (push/notices.py: a notice per supporter, held in their quiet hours
    and not sent if the request was taken on or closed meanwhile). The request is
    locked while its notices are made, and marked announced with them. Returns how
    many went now."""
    with transaction.atomic():
        help_request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .filter(pk=help_request_id, announced_at__isnull=True, cancelled_at__isnull=True)
            .first()
        )
        if help_request is None:
            return 0
        supporters = audience(help_request).values_list("grantee_id", flat=True)
        ids = notices.notices_record(
            [(pk, "help_request", f"help-{help_request.pk}") for pk in supporters], queued=True
        )
        help_request.announced_at = timezone.now()
        help_request.save(update_fields=["announced_at"])
    return notices.notices_deliver(notice_ids=ids)


def _announced(notice) -> HelpRequest | None:
    """The request a notice tells of ("help-5"), if it is still open and offered to
    the notice's recipient."""
    pk = int(notice.key.removeprefix("help-"))
    help_request = _request(pk)
    if (
        help_request is None
        or help_request.claimed_by_id is not None
        or help_request.cancelled_at is not None
        or help_request.open_until <= timezone.now()
    ):
        return None
    return (
        help_request
        if audience(help_request).filter(grantee=notice.recipient_id).exists()
        else None
    )


def announce_wanted(notice) -> bool:
    return _announced(notice) is not None


def announce_email(notice) -> EmailMultiAlternatives:
    help_request = _request(int(notice.key.removeprefix("help-")))
    return _message(
        help_request,
        to=notice.recipient,
        subject=_("A request for a hand"),
        template="help_asked",
        tag=f"asked-{notice.recipient_id}",
        link=_supporting_link(help_request),
    )


def reminder_send(*, help_request: HelpRequest) -> None:
    _send(
        help_request,
        to=help_request.claimed_by,
        subject=_("A reminder of the help you offered"),
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
        to=help_request.claimed_by,
        subject=_("A thank-you for you"),
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
            to=claimer,
            subject=_("Help no longer needed"),
            template="help_cancelled",
            tag="cancelled",
        )


def handed_back_send(*, help_request_id: int) -> None:
    help_request = _request(help_request_id)
    if help_request is None or help_request.handed_back_at is None:
        return
    _send(
        help_request,
        to=help_request.member,
        subject=_("A change to the help you asked for"),
        template="help_handed_back",
        tag=f"back-{help_request.handed_back_at:%s}",
        name=help_request.handed_back_by_name,
        link=settings.SITE_URL + reverse("sharing:help-requests"),
    )
