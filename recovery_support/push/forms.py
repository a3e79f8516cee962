from django import forms
from django.utils.translation import gettext_lazy as _

from recovery_support.push.models import Channel, PushSubscription


class SubscriptionForm(forms.ModelForm):
    """What the browser gives when it subscribes (static/js/pwa.js), and the name the
    person gives the device."""

    class Meta:
        model = PushSubscription
        fields = ["device_name", "endpoint", "p256dh", "auth"]

    def validate_unique(self) -> None:
        """The same browser subscribing again replaces its old row (services.py)."""


LEADS = [
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("An hour before")),
    (120, _("Two hours before")),
    (24 * 60, _("A day before")),
]
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DeliveryChoicesForm(forms.Form):
    """A channel for each kind of reminder (services.KINDS) and the quiet hours."""

    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=_TIME)
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=_TIME)
    meeting_lead_minutes = forms.TypedChoiceField(
        label=_("Remind me of a meeting or session"),
        choices=LEADS,
        coerce=int,
        required=False,
        empty_value=60,
        initial=60,
    )

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind, label in kinds.items():
            # A kind left out of the post (an older page) is both, as when never chosen.
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Channel.choices, initial=Channel.BOTH, required=False
            )
            self.fields[kind].widget.attrs["class"] = "channel"

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(_("Give both times for your quiet hours, or neither."))
        return data

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] or Channel.BOTH for kind in self.kinds}
