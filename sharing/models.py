"""What a member shares, and with whom: invitations, grants, the access log, and
what counselors and supporters leave behind (review comments, reviews, encouragement)."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, DateField, DateTimeField, ExpressionWrapper, F, Func, Q
from django.db.models.functions import Cast, Now
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELOR = "counselor", _("Counselor")
    SUPPORTER = "supporter", _("Supporter")


class Invitation(models.Model):
    """An invitation by email. Only a hash of its token is stored: the link in the
    email is the one and only copy."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Cancelled")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    email = models.EmailField(_("their email address"))
    role = models.CharField(max_length=10, choices=Role)
    ends_on = models.DateField(_("access ends on"), null=True, blank=True)
    # The language of the invitation email, and the first language of an account made
    # from it: the invited person's, which may not be the member's ("" before it was
    # asked: the member's own then).
    language = models.CharField(_("their language"), max_length=15, blank=True, default="")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["counselor", "supporter"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(role)s invitation to %(email)s") % {
            "role": self.get_role_display(),
            "email": self.email,
        }

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


def member_today(prefix: str = "") -> Cast:
    """Today's date where the grant's member is, worked out by PostgreSQL: a grant's
    end date is the member's, whoever is looking and wherever the server is."""
    zone = F(f"{prefix}member__time_zone")
    return Cast(Func(zone, Now(), function="timezone", output_field=DateTimeField()), DateField())


def active_grant(prefix: str = "") -> Q:
    """The one rule of a live grant, for a query on grants or (with `prefix`, such as
    "grant__") on rows that hang off one: not revoked, and not past its end date, the
    last day of access where the member is."""
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}ends_on__isnull": True})
        | Q(**{f"{prefix}ends_on__gte": member_today(prefix)})
    )


class GrantQuerySet(models.QuerySet):
    def active(self) -> "GrantQuerySet":
        return self.filter(active_grant())

    def with_is_active(self) -> "GrantQuerySet":
        """Each grant with `is_active`, by the same rule, for pages that list both."""
        return self.annotate(is_active=ExpressionWrapper(active_grant(), BooleanField()))


class Grant(models.Model):
    """Access from a member to one other account, with a role. Revoked grants are
    kept (with revoked_at) so the member's history of who had access stays whole."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_given"
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_held"
    )
    role = models.CharField(max_length=10, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)
    ends_on = models.DateField(_("access ends on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Who stopped it: the member (revoking) or the grantee stepping back themselves.
    ended_by_grantee = models.BooleanField(default=False)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    # What the member allows, each off until they switch it on.
    alert_on_help = models.BooleanField(
        _("email my counselor when I tick “I need help now”"), default=False
    )
    alert_after_missed = models.PositiveSmallIntegerField(
        _("email my counselor after this many missed check-ins in a row"), null=True, blank=True
    )
    show_missed = models.BooleanField(
        _("show my counselor the days I miss a check-in"), default=False
    )
    # On until the member turns it off: the email says only that there is a note.
    email_notes = models.BooleanField(_("email me when they leave me a note"), default=True)
    show_streak = models.BooleanField(_("show my check-in streak"), default=False)
    # A supporter's: on, as before it could be chosen, for the goals shared with them.
    show_plan = models.BooleanField(
        _("show them what I share with supporters from my plan"), default=True
    )
    show_days = models.BooleanField(_("show my day count and milestones"), default=False)
    hide_messages = models.BooleanField(_("hide their messages"), default=False)
    # Who this person is in the member's network: a source marked a risk is never
    # offered a help request, and (only with share_agreement) the supporter sees what
    # the member's plan asked of that source and the boundaries they agreed.
    source = models.ForeignKey(
        "networks.SupportSource",
        verbose_name=_("who they are in my network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    share_agreement = models.BooleanField(
        _("show them what my plan asks of them, and our boundaries"),
        default=False,
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "grantee"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_grant_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("grantee")), name="grant_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["counselor", "supporter"]), name="grant_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(alert_after_missed__isnull=True)
                | Q(alert_after_missed__gte=1, alert_after_missed__lte=14),
                name="grant_alert_after_missed_range",
            ),
        ]
        indexes = [models.Index(fields=["grantee", "role"], name="grant_grantee_idx")]

    def __str__(self) -> str:
        return gettext("%(role)s access to %(member)s for %(grantee)s") % {
            "role": self.get_role_display(),
            "member": self.member,
            "grantee": self.grantee,
        }

    @property
    def is_counselor(self) -> bool:
        return self.role == Role.COUNSELOR


class AccessRecord(models.Model):
    """One read of a member's data by someone else. Append-only: nothing in the app
    updates or deletes these rows (they go only with the member's own account)."""

    # No constraints in PostgreSQL: a record is written for rows that exist (the live
    # grants), and deferred foreign-key checks cost more at commit than the insert of a
    # client list's 100 records itself, while locking every member's and the
    # counselor's row. Deleting an account still takes or clears its records (Django
    # does on_delete). `member` is indexed first in access_member_at_idx.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    viewer_name = models.CharField(max_length=254)  # kept if the viewer's account goes
    role = models.CharField(max_length=10, choices=Role)
    what = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["member", "-at"], name="access_member_at_idx")]

    def __str__(self) -> str:
        return gettext("%(name)s viewed %(what)s") % {"name": self.viewer_name, "what": self.what}


class CommentQuerySet(models.QuerySet):
    def threaded(self, **filters) -> "CommentQuerySet":
        """First comments and replies, with what each is about: one query, for
        sharing.notes.threads (or the `threads` template filter) to group."""
        return self.filter(**filters).select_related("goal", "relapse_item", "plan_source__source")


class Comment(models.Model):
    """A note on the member's plan, and its short thread. A counselor starts it about
    one step, or one item of the plan (a goal, a warning sign or other relapse item,
    a person of the plan); the member and their counselors reply beneath it (replies
    have a `parent`, and a reply is never replied to: one level only).

    `read_at`: when the member read it, for what their counselors write (the dashboard
    card and the plan's badge show it until then)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=254)
    by_member = models.BooleanField(default=False)  # written by the plan's owner
    step = models.PositiveSmallIntegerField()
    # What it is about, at most one; the plan's own (checked where it is written). An
    # item since removed leaves the comment about its step.
    goal = models.ForeignKey(
        "plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    relapse_item = models.ForeignKey(
        "plans.RelapseItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_source = models.ForeignKey(
        "plans.PlanSource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=4), name="comment_step"),
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
            models.CheckConstraint(
                condition=Q(goal__isnull=True, relapse_item__isnull=True)
                | Q(goal__isnull=True, plan_source__isnull=True)
                | Q(relapse_item__isnull=True, plan_source__isnull=True),
                name="comment_about_one_item",
            ),
            # The member answers; their counselors start threads.
            models.CheckConstraint(
                condition=Q(by_member=False) | Q(parent__isnull=False),
                name="comment_member_replies",
            ),
        ]
        indexes = [
            models.Index(
                fields=["plan"],
                condition=Q(read_at__isnull=True, by_member=False),
                name="comment_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return gettext("Comment on step %(step)s") % {"step": self.step}

    @property
    def item(self):
        """What it is about, if one item of the plan: a goal, relapse item or person."""
        return self.goal or self.relapse_item or self.plan_source


class Review(models.Model):
    """A counselor marks the plan reviewed, or asks for changes. `read_at`: when the
    member read it."""

    class Status(models.TextChoices):
        REVIEWED = "reviewed", _("Reviewed")
        CHANGES = "changes", _("Changes asked for")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reviews")
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    counselor_name = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=Status)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["reviewed", "changes"]), name="review_status_valid"
            )
        ]
        indexes = [
            models.Index(
                fields=["plan"], condition=Q(read_at__isnull=True), name="review_unread_idx"
            )
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class Encouragement(models.Model):
    """A short message from a supporter, shown on the member's dashboard, and the
    member's short reply ("Thank you"), shown to the supporter beneath it."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="encouragements")
    body = models.CharField(_("your message"), max_length=280)
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.CharField(_("your reply"), max_length=280, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("encouragement")
        verbose_name_plural = _("encouragements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="encouragement_not_empty")
        ]

    def __str__(self) -> str:
        return self.body


class CounselorAlert(models.Model):
    """An alert emailed to someone with access (a counselor, or a supporter the member
    allowed), recorded so each is sent once: one per help call (plans.HelpCall: "I
    need help now", or a slip the member chose to tell them of), one per run of
    missed check-ins."""

    class Kind(models.TextChoices):
        HELP = "help", _("Asked for help")
        SLIP = "slip", _("Told of a slip")
        MISSED = "missed", _("Missed check-ins")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind)
    # The help call's day where the member is, or the first missed day of the run.
    key = models.DateField()
    help_call = models.ForeignKey(
        "plans.HelpCall", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("counselor alert")
        verbose_name_plural = _("counselor alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "kind", "key"],
                condition=Q(help_call__isnull=True),
                name="one_alert_per_event",
            ),
            models.UniqueConstraint(
                fields=["grant", "help_call"],
                condition=Q(help_call__isnull=False),
                name="one_alert_per_help_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"


class HelpKind(models.TextChoices):
    RIDE = "ride", _("A ride")
    MEAL = "meal", _("A meal")
    CHILDCARE = "childcare", _("Childcare")
    COMPANY = "company", _("Company for a while")
    ERRANDS = "errands", _("Help with errands")
    MONEY_LEGAL = "money_legal", _("Help with money or legal papers")
    OTHER = "other", _("Something else")


class HelpRequest(models.Model):
    """Something practical a member asks their supporters for: a ride, a meal, an
    hour of company. Open until one supporter takes it on (a guarded UPDATE: one
    claimer, however many press at once), the member cancels it, or `open_until`
    passes, after which every read leaves it out: nothing has to close it."""

    Kind = HelpKind

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests"
    )
    kind = models.CharField(_("what would help"), max_length=20, choices=Kind)
    # A set time, or None for "any time this week".
    at = models.DateTimeField(null=True, blank=True)
    # `at`, or the end of that week (Sunday midnight in the member's zone).
    open_until = models.DateTimeField()
    where = models.CharField(max_length=200, blank=True)
    note = models.TextField(max_length=500, blank=True)
    for_everyone = models.BooleanField(default=True)
    offered_to = models.ManyToManyField(Grant, blank=True, related_name="help_requests")
    created_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_claimed",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The claimer's reminder: what the sweep reads (sharing/help_reminders.py).
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    handed_back_by_name = models.CharField(max_length=254, blank=True)
    handed_back_note = models.CharField(max_length=280, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    thanks = models.TextField(max_length=1000, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["open_until", "pk"]
        indexes = [
            models.Index(fields=["member", "open_until"], name="help_member_idx"),
            models.Index(
                fields=["claimed_by", "open_until"],
                condition=Q(claimed_by__isnull=False),
                name="help_claimed_idx",
            ),
            models.Index(
                fields=["remind_at"], condition=Q(remind_at__isnull=False), name="help_remind_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HelpKind.values), name="help_kind_valid"),
            models.CheckConstraint(
                condition=Q(at__isnull=True) | Q(open_until=models.F("at")),
                name="help_open_until_its_time",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_claimed(self) -> bool:
        return self.claimed_by_id is not None


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a hash of its token is kept: the
    address is shown once, and a new one replaces it. No token: no feed."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # NULL, not "", when revoked: unique holds among live tokens only.
    token_hash = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    discreet = models.BooleanField(
        _("keep titles discreet"),
        default=True,
        help_text=_("“Meeting” instead of the group's name, and no places."),
    )
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return gettext("Calendar of %(owner)s") % {"owner": self.owner}


class LessonRead(models.Model):
    """A lesson of "How to help" a supporter marked read. Theirs alone: the member
    never sees it."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lessons_read"
    )
    lesson = models.CharField(max_length=40)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson read")
        verbose_name_plural = _("lessons read")
        constraints = [
            models.UniqueConstraint(fields=["reader", "lesson"], name="lesson_read_once")
        ]

    def __str__(self) -> str:
        return self.lesson


class CounselorDigest(models.Model):
    """The one email a day telling a counselor which clients answered a comment or
    changed their plan: a row per counselor and day (their day), made and locked
    before it is sent, so that at most one goes out a day however often the sweep
    runs. `until`: the news it told is up to then; the next one tells what came after."""

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    until = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("counselor digest")
        verbose_name_plural = _("counselor digests")
        constraints = [
            models.UniqueConstraint(fields=["counselor", "day"], name="one_digest_a_day")
        ]

    def __str__(self) -> str:
        return gettext("Digest of %(day)s") % {"day": self.day}
