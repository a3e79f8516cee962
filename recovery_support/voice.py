"""Sentences of allauth's and Django's own pages that our Spanish says in its own voice.

Their Spanish catalogues say "usted" ("Verifique su dirección", "Su contraseña no
puede…"), and one paragraph of allauth's mixes "usted" and "tú"; ours says "tú"
everywhere (docs/glossary-es.md). A person signing up would read both on one page.
Marked here, word for word as allauth and Django write them, so that makemessages keeps
them in locale/es, whose translations win over the apps' (LOCALE_PATHS come last).
Nothing reads these names: they are here to be found.
tests/i18n/test_spanish_browser.py checks that each is still one of theirs."""

from django.utils.translation import gettext_noop, ngettext_lazy

# allauth: sign-up, the page after it, confirming the address.
SIGN_IN_INSTEAD = gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s.")
VERIFY_ADDRESS = gettext_noop("Verify Your Email Address")
VERIFICATION_SENT = gettext_noop(
    "We have sent an email to you for verification. Follow the link provided to finalize "
    "the signup process. If you do not see the verification email in your main inbox, "
    "check your spam folder. Please contact us if you do not receive the verification "
    "email within a few minutes."
)
VERIFICATION_REQUIRED = gettext_noop(
    "We have sent an email to you for\nverification. Please click on the link inside that "
    "email. If you do not see the verification email in your main inbox, check your spam "
    "folder. Otherwise\ncontact us if you do not receive it within a few minutes."
)
CONFIRM_ADDRESS = gettext_noop(
    'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for '
    "user %(user_display)s."
)

# allauth: the notes at the top of the next page.
ADDRESS_SENT = gettext_noop("Confirmation email sent to %(email)s.")
ADDRESS_CONFIRMED = gettext_noop("You have confirmed %(email)s.")
SIGNED_IN = gettext_noop("Successfully signed in as %(name)s.")
SIGNED_OUT = gettext_noop("You have signed out.")
PRIMARY_UNVERIFIED = gettext_noop("Your primary email address must be verified.")
PRIMARY_KEPT = gettext_noop("You cannot remove your primary email address (%(email)s).")

# Django: what a password must be, under the password field of sign-up (its apostrophe
# is the typographic one).
PASSWORD_LIKE_YOU = gettext_noop(
    "Your password can’t be too similar to your other personal information."  # noqa: RUF001
)
PASSWORD_LENGTH = ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
PASSWORD_COMMON = gettext_noop("Your password can’t be a commonly used password.")  # noqa: RUF001
PASSWORD_NUMERIC = gettext_noop("Your password can’t be entirely numeric.")  # noqa: RUF001

OURS = [
    SIGN_IN_INSTEAD,
    VERIFY_ADDRESS,
    VERIFICATION_SENT,
    VERIFICATION_REQUIRED,
    CONFIRM_ADDRESS,
    ADDRESS_SENT,
    ADDRESS_CONFIRMED,
    SIGNED_IN,
    SIGNED_OUT,
    PRIMARY_UNVERIFIED,
    PRIMARY_KEPT,
    PASSWORD_LIKE_YOU,
    PASSWORD_LENGTH,
    PASSWORD_COMMON,
    PASSWORD_NUMERIC,
]
