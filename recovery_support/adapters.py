from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.utils import translation

from recovery_support.crisis_lines import DEFAULT_COUNTRY
from recovery_support.emails import in_language_of, with_html_alternative
from recovery_support.languages import language_of
from sharing import invited
from sharing.models import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.display_name = data.get("display_name", "")
        user.time_zone = data.get("time_zone") or settings.DEFAULT_MEMBER_TIME_ZONE
        user.country = data.get("country") or DEFAULT_COUNTRY
        # The language they were reading in as they signed up (their browser's, or the
        # footer's choice); changeable on their account page.
        user.language = language_of(translation.get_language())
        invitation = invited.proves(request, data.get("email", ""))
        # The invitation says whether they come as a counselor; and whoever comes to
        # support someone, or to counsel, starts without a recovery space of their own
        # (their home lists the people they support; they may start one at any time).
        user.is_professional = bool(data.get("is_professional")) or bool(
            invitation and invitation.role == Role.COUNSELOR
        )
        user.has_own_space = not (invitation or user.is_professional)
        user = super().save_user(request, user, form, commit=commit)
        if invitation and commit:
            # Signed in at once (the address is proven): the password typed a moment ago
            # counts as the confirmation allauth asks before two-factor is set up.
            record_authentication(request, user, method="password", reauthenticated=True)
        return user

    def is_email_verified(self, request, email):
        """An address the invitation opened in this browser was sent to is proven by
        its link (allauth then signs the new account in without a confirmation email).
        Checked against the invitation itself: one cancelled or expired proves nothing."""
        return invited.proves(request, email) is not None

    def unstash_verified_email(self, request):
        # sharing.views.invitation stashes the invited address only to fill in the
        # sign-up form. allauth would add it to the account beside an address typed
        # instead, and make it the primary one; is_email_verified decides instead.
        super().unstash_verified_email(request)
        return None

    def render_mail(self, template_prefix, email, context, headers=None):
        # In the language of the account the email is about (confirming an address,
        # resetting a password); for an address with no account, in the language of the
        # page that asked.
        user = context.get("user")
        with in_language_of(user if getattr(user, "pk", None) else None):
            return with_html_alternative(
                super().render_mail(template_prefix, email, context, headers=headers)
            )
