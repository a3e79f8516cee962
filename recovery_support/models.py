from datetime import UTC, date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery_support.crisis_lines import COUNTRY_CHOICES, DEFAULT_COUNTRY
from recovery_support.validators import validate_one_line


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in zones)]


class User(AbstractUser):
    """An account: a member of their own recovery space (`has_own_space`), a
    counselor or supporter of others through grants, or both. A professional
    account (a counselor) must also use two-factor sign-in."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("what we call you"),
        max_length=80,
        blank=True,
        help_text=_("A first name or nickname. Shown to the people you choose to share with."),
        # It goes into email subjects and greetings: one line of visible text.
        validators=[validate_one_line],
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # Whose crisis lines to show (recovery_support/crisis_lines.py).
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, default=DEFAULT_COUNTRY
    )
    # The language of their pages, emails and alerts (recovery_support/languages.py):
    # their browser's when they signed up, then their choice.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_professional = models.BooleanField(
        _("counselor or other professional"),
        default=False,
        help_text=_("Professional accounts must use two-factor sign-in."),
    )
    has_own_space = models.BooleanField(
        _("keeps a recovery space of their own"),
        default=True,
        help_text=_(
            "Their own network, plan and check-ins. Who signs up from an invitation, or "
            "as a counselor, starts without one (their home lists the people they support) "
            "and may start one at any time."
        ),
    )

    # The member's day count, which their dashboard leads with: the day they count
    # from (never after their today: clean), whether they chose not to say when
    # first asked, and when they last answered "Start counting again?" after a slip.
    recovery_started_on = models.DateField(_("your recovery start date"), null=True, blank=True)
    recovery_date_skipped = models.BooleanField(default=False)
    slip_answered_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(country__in=[code for code, _ in COUNTRY_CHOICES]),
                name="user_country_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="user_language_valid",
            ),
        ]

    def __str__(self) -> str:
        # How others see this person: never their email address. They see their own
        # address where the name is blank (own_name).
        return name_for_others(self.display_name)

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)

    def local_today(self) -> date:
        try:
            return timezone.localdate(timezone=ZoneInfo(self.time_zone))
        except (ZoneInfoNotFoundError, ValueError):
            return timezone.localdate(timezone=UTC)

    def clean(self) -> None:
        super().clean()
        if self.recovery_started_on and self.recovery_started_on > self.local_today():
            raise ValidationError({"recovery_started_on": START_DATE_TO_COME})


# Shown to others in place of a name the person has not given.
NO_NAME = _("Someone you know")


def name_for_others(display_name: str) -> str:
    """A person's name as others see it (User.__str__), from their display name alone."""
    return display_name or str(NO_NAME)


START_DATE_TO_COME = _("Your start date is still to come. Choose today or a day before.")


def own_name(user: User) -> str:
    """The person's name as they see it themselves (allauth's pages and messages)."""
    return user.display_name or user.email
