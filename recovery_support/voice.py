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

# allauth: signing in (the page, its link to sign-up and its refusals), signing out.
SIGN_UP_FIRST = gettext_noop(
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
)
FORGOT_YOUR_PASSWORD = gettext_noop("Forgot your password?")
WRONG_PASSWORD = gettext_noop("The email address and/or password you specified are not correct.")
TOO_MANY_ATTEMPTS = gettext_noop("Too many failed login attempts. Try again later.")
SIGN_OUT_SURE = gettext_noop("Are you sure you want to sign out?")
# Django: an address the browser lets through but Django does not ("ana@gmail").
VALID_EMAIL = gettext_noop("Enter a valid email address.")

# allauth: resetting a forgotten password (asking, the page after, the emailed link's
# page, the page after that) and changing it.
RESET_ASK = gettext_noop(
    "Forgotten your password? Enter your email address below, and we'll send you an email "
    "allowing you to reset it."
)
RESET_TROUBLE = gettext_noop("Please contact us if you have any trouble resetting your password.")
ALREADY_SIGNED_IN = gettext_noop("You are already logged in as %(user_display)s.")
RESET_SENT = gettext_noop(
    "We have sent you an email. If you have not received it please check your spam folder. "
    "Otherwise contact us if you do not receive it in a few minutes."
)
RESET_LINK_USED = gettext_noop(
    "The password reset link was invalid, possibly because it has already been used.  "
    'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
)
SAME_PASSWORD = gettext_noop("You must type the same password each time.")
PASSWORD_CHANGED = gettext_noop("Your password is now changed.")
FORGOT_PASSWORD = gettext_noop("Forgot Password?")
CURRENT_PASSWORD = gettext_noop("Please type your current password.")

# allauth: the email address page (templates/account/email_change.html), its emailed
# link, and what two-factor sign-in refuses there and on its own page.
NO_ADDRESS = gettext_noop(
    "You currently do not have any email address set up. You should really add an email "
    "address so you can receive notifications, reset your password, etc."
)
CONFIRMATION_EXPIRED = gettext_noop(
    "This email confirmation link expired or is invalid. Please "
    '<a href="%(email_url)s">issue a new email confirmation request</a>.'
)
ADDRESS_BLOCKED = gettext_noop(
    "You cannot add an email address to an account protected by two-factor authentication."
)
ADDRESS_FIRST = gettext_noop(
    "You cannot activate two-factor authentication until you have verified your email address."
)

# allauth: asking for the password (or a code) again before a change.
REAUTHENTICATE = gettext_noop("Please reauthenticate to safeguard your account.")
ENTER_PASSWORD = gettext_noop("Enter your password:")
USE_PASSWORD = gettext_noop("Use your password")
ENTER_CODE = gettext_noop("Enter an authenticator code:")

# allauth: two-factor sign-in (the code at sign-in, the authenticator app, the
# recovery codes).
CODE_AT_SIGN_IN = gettext_noop(
    "Your account is protected by two-factor authentication. Please enter an authenticator code:"
)
TOTP_SCAN = gettext_noop(
    "To protect your account with two-factor authentication, scan the QR code below with "
    "your authenticator app. Then, input the verification code generated by the app below."
)
TOTP_SECRET = gettext_noop(
    "You can store this secret and use it to reinstall your authenticator app at a later time."
)
TOTP_DEACTIVATE = gettext_noop(
    "You are about to deactivate authenticator app based authentication. Are you sure?"
)
NEW_CODES = gettext_noop("You are about to generate a new set of recovery codes for your account.")
OLD_CODES_END = gettext_noop("This action will invalidate your existing codes.")
ARE_YOU_SURE = gettext_noop("Are you sure?")

# allauth: its emails that our templates/account/email does not replace (the subject
# of the confirmation, the notices of a change, an address that already has an account).
CONFIRM_SUBJECT = gettext_noop("Please Confirm Your Email Address")
NOTICE_ADDRESS_CONFIRMED = gettext_noop("Your email has been confirmed.")
NOTICE_PASSWORD_CHANGED = gettext_noop("Your password has been changed.")
NOTICE_PASSWORD_RESET = gettext_noop("Your password has been reset.")
NOTICE_PASSWORD_SET = gettext_noop("Your password has been set.")
ACCOUNT_EXISTS = gettext_noop(
    "You are receiving this email because you or someone else tried to signup for an\n"
    "account using email address:\n\n%(email)s\n\n"
    "However, an account using that email address already exists.  In case you have\n"
    "forgotten about this, please use the password forgotten procedure to recover\n"
    "your account:\n\n%(password_reset_url)s"
)

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
    SIGN_UP_FIRST,
    FORGOT_YOUR_PASSWORD,
    WRONG_PASSWORD,
    TOO_MANY_ATTEMPTS,
    SIGN_OUT_SURE,
    VALID_EMAIL,
    RESET_ASK,
    RESET_TROUBLE,
    ALREADY_SIGNED_IN,
    RESET_SENT,
    RESET_LINK_USED,
    SAME_PASSWORD,
    PASSWORD_CHANGED,
    FORGOT_PASSWORD,
    CURRENT_PASSWORD,
    NO_ADDRESS,
    CONFIRMATION_EXPIRED,
    ADDRESS_BLOCKED,
    ADDRESS_FIRST,
    REAUTHENTICATE,
    ENTER_PASSWORD,
    USE_PASSWORD,
    ENTER_CODE,
    CODE_AT_SIGN_IN,
    TOTP_SCAN,
    TOTP_SECRET,
    TOTP_DEACTIVATE,
    NEW_CODES,
    OLD_CODES_END,
    ARE_YOU_SURE,
    CONFIRM_SUBJECT,
    NOTICE_ADDRESS_CONFIRMED,
    NOTICE_PASSWORD_CHANGED,
    NOTICE_PASSWORD_RESET,
    NOTICE_PASSWORD_SET,
    ACCOUNT_EXISTS,
]
