from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from plans.selectors import STEP_TITLES
from recovery_support.forms import ConstraintsInDatabase
from sharing.models import Comment, Encouragement, Grant, Invitation, Review, Role

ROLE_CHOICES = [
    (Role.COUNSELOR, "Counselor: sees my network, plan and check-ins, except what I keep private"),
    (Role.SUPPORTER, "Supporter: sees only the goals I share, and can send encouragement"),
]


class InvitationForm(ConstraintsInDatabase, forms.ModelForm):
    role = forms.ChoiceField(
        label="What they will see", choices=ROLE_CHOICES, widget=forms.RadioSelect
    )

    class Meta:
        model = Invitation
        fields = ["email", "role", "ends_on"]
        widgets = {"ends_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"ends_on": "Leave empty to share until you stop it."}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.casefold() == self.member.email.casefold():
            raise forms.ValidationError("That is your own address. Who would you like to invite?")
        return email

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            raise forms.ValidationError("Choose today or a day after today.")
        return ends_on


class GrantSettingsForm(ConstraintsInDatabase, forms.ModelForm):
    """What the member allows one person; the fields depend on the role."""

    COUNSELOR_FIELDS = ["show_missed", "alert_on_help", "alert_after_missed"]
    SUPPORTER_FIELDS = ["show_streak", "hide_messages"]

    class Meta:
        model = Grant
        fields = [
            "show_missed",
            "alert_on_help",
            "alert_after_missed",
            "show_streak",
            "hide_messages",
        ]
        help_texts = {"alert_after_missed": "Leave empty for no alert. From 1 to 14."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.COUNSELOR_FIELDS if self.instance.is_counselor else self.SUPPORTER_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "alert_after_missed" in self.fields:
            field = self.fields["alert_after_missed"]
            field.min_value, field.max_value = 1, 14
            field.widget.attrs.update(min=1, max=14, inputmode="numeric")
            field.validators += [MinValueValidator(1), MaxValueValidator(14)]


class CommentForm(ConstraintsInDatabase, forms.ModelForm):
    step = forms.TypedChoiceField(
        label="Which step",
        coerce=int,
        choices=[(n, f"Step {n}: {t}") for n, t in STEP_TITLES.items()],
    )

    class Meta:
        model = Comment
        fields = ["step", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class AnswerForm(ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True


class ReviewForm(ConstraintsInDatabase, forms.ModelForm):
    status = forms.ChoiceField(
        label="Your review",
        choices=[
            (Review.Status.REVIEWED, "Reviewed: the plan looks good for now"),
            (Review.Status.CHANGES, "Ask for changes"),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Review
        fields = ["status", "note"]
        labels = {"note": "A note for them"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Review.Status.CHANGES and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what you would like them to change.")
        return cleaned


class EncouragementForm(ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Encouragement
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 280})}
        help_texts = {"body": "Up to 280 characters."}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing has been deleted.")
        return password
