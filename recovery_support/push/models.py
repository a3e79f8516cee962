from django.conf import settings
from django.db import models
from django.utils import timezone


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
    device_name = models.CharField("device name", max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.device_name

    def subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Channel(models.TextChoices):
    BOTH = "both", "A notification and an email"
    PUSH = "push", "A notification only"
    EMAIL = "email", "An email only"
    NONE = "none", "Nothing"


class DeliveryChoices(models.Model):
    """How each kind of reminder reaches the person ({kind: Channel}, both where they
    chose nothing) and their quiet hours, in their own time zone, when nothing is
    sent but help alerts."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_choices"
    )
    channels = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField("quiet from", null=True, blank=True)
    quiet_end = models.TimeField("quiet until", null=True, blank=True)

    def __str__(self) -> str:
        return f"Delivery choices of {self.owner_id}"
