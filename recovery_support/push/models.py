from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PushSubscription(models.Model):
    """One browser on one device that may be sent Web Push messages for its owner. The
    endpoint is the push service's address for that browser: the same browser
    subscribing again (for someone else, after a sign-out) moves it to them."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device_name = models.CharField(_("device name"), max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.device_name

    def subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Channel(models.TextChoices):
    BOTH = "both", _("A notification and an email")
    PUSH = "push", _("A notification only")
    EMAIL = "email", _("An email only")
    NONE = "none", pgettext_lazy("how reminders reach you", "Nothing")


class DeliveryChoices(models.Model):
    """How each kind of reminder reaches the person ({kind: Channel}, both where they
    chose nothing) and their quiet hours, in their own time zone, when nothing is
    sent but help alerts."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_choices"
    )
    channels = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    # How long before a meeting or session in their plan they are reminded of it.
    meeting_lead_minutes = models.PositiveSmallIntegerField(default=60)

    def __str__(self) -> str:
        return f"Delivery choices of {self.owner_id}"


class Notice(models.Model):
    """One message of one kind to one person, due at a time: every reminder but the
    check-in (plans.Reminder has its own rows). Unique per person, kind and what it is
    about (`key`: ids and dates only, never words), so a repeated sweep or task never
    makes a second one. A pending notice is found by the sweep through `due_at`; one
    held by quiet hours has its `due_at` moved to when they end, so it waits in the
    database, not only in a queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DROPPED = "dropped", _("Not sent (no longer needed, or nothing chosen)")

    # No index of its own: one_notice_per_key's (recipient, kind, key) serves lookups by
    # recipient, and one index fewer to write at each insert and claim.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=80)
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)  # not sent after (a meeting's start)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="notice_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="one_notice_per_key"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "dropped"]), name="notice_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} for {self.recipient_id}"
