from django import forms

from push.models import PushSubscription


class SubscriptionForm(forms.ModelForm):
    """What the browser gives when it subscribes (static/js/pwa.js), and the name the
    person gives the device."""

    class Meta:
        model = PushSubscription
        fields = ["device_name", "endpoint", "p256dh", "auth"]

    def validate_unique(self) -> None:
        """The same browser subscribing again replaces its old row (services.py)."""
