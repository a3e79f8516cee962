"""How often one person may send things to others (settings.ACCOUNT_RATE_LIMITS holds
the rates), counted by allauth's rate limiter in the cache, per person."""

from allauth.core import ratelimit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

LIMIT_REACHED = "limit_reached"

# What a person reads when they reach a limit; one for each rate in the settings.
REFUSALS = {
    "send_invitation": (
        _(
            "You've sent a lot of invitations for now. Please try again later; "
            "what you typed is still here."
        )
    ),
    "send_encouragement": (
        _(
            "You've sent a lot of messages this hour. Please try again a little later; "
            "your message is still here."
        )
    ),
    "reply_to_message": (
        _(
            "You've sent a lot of replies this hour. Please try again a little later; "
            "your reply is still here."
        )
    ),
    "add_comment": (
        _(
            "You've added a lot of comments this hour. Please try again a little later; "
            "your comment is still here."
        )
    ),
    "delete_account": _("Too many tries for now. Please wait 15 minutes and try again."),
}


def over_limit(request: HttpRequest, action: str, form: forms.Form) -> bool:
    """Count one `action` for the signed-in person and answer False; past their limit,
    count nothing, put the refusal on `form` (beside what they typed) and answer True.

    The form must be validated already, or unbound: a bound form would be validated
    here, and the validation may be what is limited (checking a password)."""
    if ratelimit.consume(request, action=action, user=request.user):
        return False
    error = forms.ValidationError(REFUSALS[action], code=LIMIT_REACHED)
    if form.is_bound:
        form.add_error(None, error)
    else:  # nothing to clean: the refusal is its only error
        form.errors[NON_FIELD_ERRORS] = form.error_class(
            [error], error_class="nonfield", renderer=form.renderer
        )
    return True


def status_for(form: forms.Form) -> int:
    """200 for a form without errors, 429 past a limit, 422 for other mistakes."""
    if form.has_error(NON_FIELD_ERRORS, LIMIT_REACHED):
        return 429
    return 422 if form.errors else 200
