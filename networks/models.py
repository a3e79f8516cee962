from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recovery_support.choices import ChoiceLabels


class Category(models.TextChoices):
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    SUPPORT_GROUP = "support_group", _("Support group")
    FAITH = "faith", _("Faith or spiritual community")
    MEDICAL = "medical", _("Medical professional")
    COUNSELOR = "counselor", _("Counselor or therapist")
    PSYCH = "psych", _("Psychiatrist or psychologist")
    OTHER = "other", pgettext_lazy("a kind of support source", "Other")


PROFESSIONAL_CATEGORIES = frozenset({Category.MEDICAL, Category.COUNSELOR, Category.PSYCH})
COMMUNITY_CATEGORIES = frozenset({Category.SUPPORT_GROUP, Category.FAITH})


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional")
    PRACTICAL = "practical", _("Practical")
    INFORMATIONAL = "informational", _("Information and advice")
    RELAPSE_PREVENTION = "relapse_prevention", _("Relapse prevention")


SUPPORT_LABELS = dict(SupportType.choices)


class PracticalKind(models.TextChoices):
    DAILY_TASKS = "daily_tasks", _("Daily tasks and transport")
    MONEY_LEGAL = "money_legal", _("Money and legal matters")
    WORK_EDUCATION = "work_education", _("Work and education")


class Influence(models.TextChoices):
    SUPPORTS = "supports", _("Supports my recovery")
    NEUTRAL = "neutral", _("Neutral")
    MIXED = "mixed", _("Mixed")
    RISK = "risk", _("A risk to my recovery")


class Closeness(models.IntegerChoices):
    DISTANT = 1, _("Not close")
    A_LITTLE = 2, _("A little close")
    FAIRLY = 3, _("Fairly close")
    CLOSE = 4, pgettext_lazy("how close a person is", "Close")
    VERY = 5, _("Very close")


class KnownFor(models.TextChoices):
    UNDER_A_YEAR = "under_a_year", _("Less than a year")
    ONE_TO_FIVE = "one_to_five", _("1 to 5 years")
    OVER_FIVE = "over_five", _("More than 5 years")
    LIFELONG = "lifelong", _("All my life")


class ContactEvery(models.IntegerChoices):
    DAY = 1, _("Every day")
    FEW_DAYS = 3, _("Every few days")
    WEEK = 7, _("Every week")
    TWO_WEEKS = 14, _("Every two weeks")
    MONTH = 30, _("Every month")


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-.]{4,22}[0-9]$",
    _("Enter a phone number using digits, spaces, brackets or dashes, e.g. +1 555 123 4567."),
)


class SupportSource(ChoiceLabels, models.Model):
    """A person, group or organisation in a member's life, and the support they give."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_sources"
    )
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category)
    relationship = models.CharField(max_length=80, blank=True)
    support_types = ArrayField(
        models.CharField(max_length=20, choices=SupportType), default=list, blank=True
    )
    practical_kinds = ArrayField(
        models.CharField(max_length=20, choices=PracticalKind), default=list, blank=True
    )
    phone = models.CharField(max_length=24, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    meets_where = models.CharField(_("where it meets"), max_length=200, blank=True)
    meets_when = models.CharField(_("when it meets"), max_length=200, blank=True)
    closeness = models.PositiveSmallIntegerField(
        choices=Closeness,
        default=Closeness.FAIRLY,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    known_for = models.CharField(max_length=20, choices=KnownFor, blank=True)
    influence = models.CharField(max_length=10, choices=Influence, default=Influence.SUPPORTS)
    boundaries_note = models.TextField(max_length=1000, blank=True)
    crisis_contact = models.BooleanField(_("available in a crisis"), default=False)
    contact_every_days = models.PositiveSmallIntegerField(
        _("planned contact"), choices=ContactEvery, null=True, blank=True
    )
    notes = models.TextField(max_length=2000, blank=True)
    is_private = models.BooleanField(_("keep private"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Removing a source is undoable for a while; sources removed earlier are purged.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(
                fields=["owner", "name"],
                condition=Q(deleted_at__isnull=True),
                name="source_owner_live_idx",
            ),
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="source_deleted_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="source_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(influence__in=Influence.values), name="source_influence_valid"
            ),
            models.CheckConstraint(
                condition=Q(closeness__gte=1, closeness__lte=5), name="source_closeness_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(support_types__contained_by=SupportType.values),
                name="source_support_types_valid",
            ),
            models.CheckConstraint(
                condition=Q(practical_kinds__contained_by=PracticalKind.values),
                name="source_practical_kinds_valid",
            ),
            models.CheckConstraint(
                condition=Q(practical_kinds=[]) | Q(support_types__contains=["practical"]),
                name="source_practical_kinds_need_practical",
            ),
            models.CheckConstraint(
                condition=Q(contact_every_days__isnull=True)
                | Q(contact_every_days__in=ContactEvery.values),
                name="source_contact_every_valid",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="source_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def support_labels(self) -> list[str]:
        return [SUPPORT_LABELS[value] for value in self.support_types]


class ContactLog(models.Model):
    """A day the member was in touch with a source: at most one row a day, dated in
    the member's time zone."""

    source = models.ForeignKey(SupportSource, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on"]
        constraints = [
            models.UniqueConstraint(fields=["source", "contacted_on"], name="one_contact_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source} on {self.contacted_on}"
