from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import OuterRef, Q
from django.utils.formats import time_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from networks.models import ContactEvery, SupportSource, SupportType
from recovery_support.choices import ChoiceLabels


class Visibility(models.TextChoices):
    """Who sees an entry of the member's plan besides them: one choice each, for a
    goal, an activity, a relapse item, a person's boundaries and the first 24 hours."""

    ONLY_ME = "only_me", _("Only me")
    COUNSELOR = "counselor", _("Me and my counselor")
    SUPPORTERS = "supporters", _("My counselor and supporters")


# The choices each reader sees, by the role they read in (sharing.Role's values; None
# is the member themselves). A role not listed sees nothing.
SEEN_BY = {
    None: tuple(Visibility.values),
    "counselor": (Visibility.COUNSELOR, Visibility.SUPPORTERS),
    "supporter": (Visibility.SUPPORTERS,),
}
# From the narrowest choice to the widest.
NARROW_TO_WIDE = (Visibility.ONLY_ME, Visibility.COUNSELOR, Visibility.SUPPORTERS)


def seen_by(role: str | None) -> tuple[str, ...]:
    return SEEN_BY.get(role, ())


def visible(choice: str, role: str | None) -> bool:
    """Whether a reader in `role` sees an entry with this choice: the one rule, for a
    single value (the first 24 hours, a person's boundaries)."""
    return choice in seen_by(role)


def narrowest(choices) -> str:
    return min(choices, key=NARROW_TO_WIDE.index)


def visibility_field(*, default: str = Visibility.COUNSELOR):
    return models.CharField(_("who sees this"), max_length=10, choices=Visibility, default=default)


def visibility_valid(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": Visibility.values}), name=name)


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, role: str | None) -> "VisibleQuerySet":
        """The rows a reader in `role` sees (None: the member, who sees all)."""
        return self.filter(visibility__in=seen_by(role))


class Plan(models.Model):
    """A member's four-step support plan. A draft until they activate it; edits to an
    active plan are kept as revisions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    first_day_after_slip = models.TextField(
        _("The first 24 hours after a slip"), max_length=2000, blank=True
    )
    first_day_visibility = visibility_field()
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(status="active"), name="one_active_plan_per_member"
            ),
            # Two first visits at once (two tabs) must not start two drafts.
            models.UniqueConstraint(
                fields=["owner"], condition=Q(status="draft"), name="one_draft_plan_per_member"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active"]), name="plan_status_valid"
            ),
            visibility_valid("first_day_visibility", "plan_first_day_visibility_valid"),
        ]

    def __str__(self) -> str:
        return gettext("Support plan of %(owner)s") % {"owner": self.owner}

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Outcome(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked yet")
    ASKED = "asked", _("Asked")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")
    FOLLOW_UP = "follow_up", _("Follow up")


class PlanSource(ChoiceLabels, models.Model):
    """A source chosen in step 1, with the ask (step 2) and what is realistic (step 3)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_sources")
    source = models.ForeignKey(SupportSource, on_delete=models.CASCADE, related_name="+")
    ask_support = ArrayField(
        models.CharField(max_length=20, choices=SupportType), default=list, blank=True
    )
    ask_how_often = models.PositiveSmallIntegerField(choices=ContactEvery, null=True, blank=True)
    ask_note = models.TextField(max_length=500, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.NOT_ASKED)
    asked_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    can_give = models.TextField(max_length=500, blank=True)
    can_give_how_often = models.PositiveSmallIntegerField(
        choices=ContactEvery, null=True, blank=True
    )
    my_boundaries = models.TextField(max_length=500, blank=True)
    their_boundaries = models.TextField(max_length=500, blank=True)
    # Supporters: only the person the boundaries are agreed with, and only where the
    # member shows them what the plan asks of them (sharing.Grant.share_agreement).
    boundaries_visibility = visibility_field(default=Visibility.SUPPORTERS)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="plan_source_once"),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="plan_source_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(ask_support__contained_by=SupportType.values),
                name="plan_source_ask_support_valid",
            ),
            visibility_valid("boundaries_visibility", "plan_source_boundaries_visibility_valid"),
        ]

    def __str__(self) -> str:
        return str(self.source)

    def ask_labels(self) -> list[str]:
        return [SupportType(value).label for value in self.ask_support]

    def ask_labels_text(self) -> str:
        """ "emotional, practical": what the member asks for, in running text."""
        return ", ".join(str(label).lower() for label in self.ask_labels())


class Weekday(models.IntegerChoices):
    # Translators: the same words as Django's day names in dates ("sábado 5 de
    # diciembre"): one translation serves both, so lowercase, as Spanish writes them.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# "Mondays at 7:00 p.m.": a weekly activity's day and time, one sentence a weekday.
WEEKLY_AT = {
    Weekday.MONDAY: _("Mondays at %(time)s"),
    Weekday.TUESDAY: _("Tuesdays at %(time)s"),
    Weekday.WEDNESDAY: _("Wednesdays at %(time)s"),
    Weekday.THURSDAY: _("Thursdays at %(time)s"),
    Weekday.FRIDAY: _("Fridays at %(time)s"),
    Weekday.SATURDAY: _("Saturdays at %(time)s"),
    Weekday.SUNDAY: _("Sundays at %(time)s"),
}


class Activity(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Group meeting")
        SESSION = "session", _("Session with a professional")
        OTHER = "other", pgettext_lazy("a kind of activity", "Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MEETING)
    title = models.CharField(max_length=120)
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    time = models.TimeField()
    place = models.CharField(max_length=200, blank=True)
    visibility = visibility_field()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "time", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="activity_weekday_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["meeting", "session", "other"]), name="activity_kind_valid"
            ),
            visibility_valid("visibility", "activity_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def weekly(self) -> str:
        """ "Tuesdays at 7:00 p.m.", in the reader's language and time format."""
        return WEEKLY_AT[self.weekday] % {"time": time_format(self.time)}


class RelapseItem(models.Model):
    """A warning sign, trigger, craving or high-risk situation, with what to do."""

    class Kind(models.TextChoices):
        WARNING_SIGN = "warning_sign", _("Warning sign")
        TRIGGER = "trigger", _("Trigger")
        CRAVING = "craving", _("Craving")
        HIGH_RISK = "high_risk", _("High-risk situation")

    class Area(models.TextChoices):
        MOOD = "mood", _("Mood")
        BODY = "body", _("Body")
        BEHAVIOUR = "behaviour", _("Behaviour")
        THINKING = "thinking", _("Thinking")
        SOCIAL = "social", _("Social")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="relapse_items")
    kind = models.CharField(max_length=15, choices=Kind)
    area = models.CharField(max_length=10, choices=Area, blank=True)
    description = models.CharField(_("What it is"), max_length=300)
    coping = models.CharField(_("What I will do"), max_length=300)
    contact = models.ForeignKey(
        SupportSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Who I will contact"),
    )
    visibility = visibility_field()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["warning_sign", "trigger", "craving", "high_risk"]),
                name="relapse_kind_valid",
            ),
            visibility_valid("visibility", "relapse_item_visibility_valid"),
            # Warning signs are grouped by area; the others have none.
            models.CheckConstraint(
                condition=(
                    Q(kind="warning_sign")
                    & Q(area__in=["mood", "body", "behaviour", "thinking", "social"])
                )
                | (~Q(kind="warning_sign") & Q(area="")),
                name="relapse_area_only_for_warning_signs",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Goal"), max_length=120)
    target = models.CharField(_("Target"), max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(_("Progress (%)"), default=0)
    visibility = visibility_field()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_0_100"),
            visibility_valid("visibility", "goal_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.title


def _hidden_from(model, seen: tuple[str, ...], field: str = "visibility") -> ArraySubquery:
    """The ids of the revision's plan's rows of `model` a reader does not see now."""
    rows = model.objects.filter(plan=OuterRef("plan")).exclude(**{f"{field}__in": seen})
    return ArraySubquery(rows.values("pk"))


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, role: str | None) -> "RevisionQuerySet":
        """The revisions a reader in `role` may read (None: the member, who reads all):
        none narrower than the reader when it was made, and none naming anything the
        reader does not see now: a source kept private (or since erased, whose
        privacy nobody can tell), a relapse item, goal, activity or person's
        boundaries chosen for fewer people, or the first 24 hours if those are."""
        if role is None:
            return self
        seen = seen_by(role)
        public_sources = SupportSource.objects.filter(
            owner=OuterRef("plan__owner"), is_private=False
        )
        return (
            self.filter(
                visibility__in=seen,
                source_ids__contained_by=ArraySubquery(public_sources.values("pk")),
            )
            .exclude(relapse_item_ids__overlap=_hidden_from(RelapseItem, seen))
            .exclude(goal_ids__overlap=_hidden_from(Goal, seen))
            .exclude(activity_ids__overlap=_hidden_from(Activity, seen))
            .exclude(boundary_ids__overlap=_hidden_from(PlanSource, seen, "boundaries_visibility"))
            .exclude(Q(first_day=True) & ~Q(plan__first_day_visibility__in=seen))
        )


class Revision(models.Model):
    """What changed in an active plan, who changed it and when. Append-only, but that
    removing an entry makes the revisions naming it as narrow as it was."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # [{"what": "Goal “Walk daily”", "field": "Progress (%)", "before": "20", "after": "40"}]
    changes = models.JSONField(default=list)
    # Who may read it: the narrowest choice of what it named, before and after the
    # change, when it was made (at most the counselor where it names no entry with a
    # choice of its own); and what it names, whose choices may change later.
    visibility = visibility_field()
    source_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    relapse_item_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    goal_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    activity_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    boundary_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)  # PlanSource
    first_day = models.BooleanField(default=False)  # about the first 24 hours after a slip

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [visibility_valid("visibility", "revision_visibility_valid")]

    def __str__(self) -> str:
        return gettext("Change to %(plan)s at %(at)s") % {
            "plan": self.plan,
            "at": f"{self.created_at:%Y-%m-%d %H:%M}",
        }

    def entries(self) -> list[dict]:
        """The changes in the reader's language (plans.revisions.read)."""
        from plans.revisions import read  # revisions reads the forms, which read us

        return [read(change) for change in self.changes]


class CheckInSchedule(models.Model):
    """When a member wants to be reminded to check in, in their own time zone.

    `next_due_at` (UTC) is the one thing the reminder sweep reads: it is moved
    forward by wall-clock arithmetic in the member's zone each time a reminder is
    claimed, and indexed for the sweep while the schedule is running."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_schedule"
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday),
        default=list,
        blank=True,
        help_text=_("Empty means every day."),
    )
    local_time = models.TimeField(default="09:00")  # in the owner's time zone
    channel = models.CharField(max_length=10, default="email", editable=False)
    paused = models.BooleanField(default=False)
    next_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_due_at"],
                condition=Q(paused=False, next_due_at__isnull=False),
                name="schedule_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__contained_by=[0, 1, 2, 3, 4, 5, 6]),
                name="schedule_weekdays_valid",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Check-in schedule of %(owner)s") % {"owner": self.owner}


class Reminder(models.Model):
    """One reminder occurrence: unique per schedule and due time, so however often the
    sweep runs or a delivery task is retried, it is sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (too late)")
        CHECKED_IN = "checked_in", _("Not sent (already checked in)")

    # No index of its own: one_reminder_per_due's (schedule, due_at) serves lookups by
    # schedule, and one index fewer to write at each of the sweep's inserts and claims.
    schedule = models.ForeignKey(
        CheckInSchedule, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    link_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at"]
        indexes = [
            models.Index(
                fields=["queued_at"], condition=Q(status="pending"), name="reminder_pending_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_at"], name="one_reminder_per_due"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "skipped", "checked_in"]),
                name="reminder_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Reminder for %(owner)s at %(at)s") % {
            "owner": self.schedule.owner,
            "at": f"{self.due_at:%Y-%m-%d %H:%M}",
        }


class CheckIn(models.Model):
    """How the member is doing today: one per local day, the latest answers win.

    It belongs to the day it was made on, in the zone it was made in: plans/days.py
    keeps that day whole when the member's zone changes afterwards."""

    # Indexed first in one_checkin_a_day, which every read of a member's check-ins uses.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    day = models.DateField()
    # The member's zone when it was made; empty where nobody knows (demo data), read
    # as the member's zone of now.
    time_zone = models.CharField(max_length=64, blank=True, editable=False)
    mood = models.PositiveSmallIntegerField()  # 1 (very low) .. 5 (very good)
    craving = models.PositiveSmallIntegerField()  # 0 (none) .. 10 (overwhelming)
    triggers = models.ManyToManyField(RelapseItem, blank=True, related_name="+")
    coping_used = models.CharField(max_length=300, blank=True)
    supports_contacted = models.ManyToManyField(SupportSource, blank=True, related_name="+")
    meeting_attended = models.BooleanField(default=False)
    note = models.TextField(max_length=2000, blank=True)
    needed_help = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            # With the craving in the index, the counselor's list averages each client's
            # weeks from the index alone.
            models.UniqueConstraint(
                fields=["owner", "day"], include=["craving"], name="one_checkin_a_day"
            ),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="checkin_mood_1_5"),
            models.CheckConstraint(condition=Q(craving__lte=10), name="checkin_craving_0_10"),
        ]

    def __str__(self) -> str:
        return gettext("Check-in of %(owner)s on %(day)s") % {"owner": self.owner, "day": self.day}


class HelpCall(models.Model):
    """The member asking for help now, or telling of a slip: saved the moment they ask,
    whatever else they have or have not answered. plans only records it and sends
    `signals.help_requested`; sharing alerts the people the member chose (for help:
    each person they allowed to hear of it; for a slip: only the people ticked in
    `tell`). Not to be confused with sharing.HelpRequest, a practical favour (a ride,
    a meal) asked of supporters."""

    class Kind(models.TextChoices):
        HELP = "help", _("Asked for help")
        SLIP = "slip", _("Had a slip")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_calls"
    )
    kind = models.CharField(max_length=4, choices=Kind, default=Kind.HELP)
    note = models.TextField(_("anything you want to remember about it"), max_length=500, blank=True)
    # For a slip, the people with access the member chose to tell; nobody else hears.
    tell = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("who to tell")
    )
    # Set when "I need help now" was ticked in a check-in: that tick asks once a day
    # (re-saving or finishing the check-in later asks nobody again); the button asks
    # each time it is pressed.
    checkin_day = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="help_call_owner_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["help", "slip"]), name="help_call_kind"),
            models.UniqueConstraint(
                fields=["owner", "checkin_day"],
                condition=Q(checkin_day__isnull=False),
                name="one_help_call_per_checkin_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_slip(self) -> bool:
        return self.kind == self.Kind.SLIP
