"""The invitation a browser holds. Opening the emailed link leaves the invitation's id
in the session (never the token), so the person can sign up or sign in and still
answer it; until then the pages around sign-up read it from here."""

from django.http import HttpRequest

from sharing.models import Invitation

SESSION_KEY = "invitation_id"
REFUSED_KEY = "invitation_refused"  # set once the person was told it can't be used


def held(request: HttpRequest) -> Invitation | None:
    """The invitation this browser opened, whatever its state."""
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return Invitation.objects.select_related("member").filter(pk=pk).first()


def answerable(request: HttpRequest) -> Invitation | None:
    """The invitation this browser opened, if it is still waiting for an answer."""
    invitation = held(request)
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return None
    return None if invitation.is_expired else invitation


def proves(request: HttpRequest, email: str) -> Invitation | None:
    """The answerable invitation, if it was sent to `email`: its link, opened in this
    browser, proves the person reads that mailbox."""
    invitation = answerable(request)
    if invitation is None or invitation.email.casefold() != email.strip().casefold():
        return None
    return invitation
