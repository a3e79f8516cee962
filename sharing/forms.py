from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.models import SupportSource
from plans.selectors import STEP_TITLES
from recovery_support.forms import ConstraintsInDatabase
from recovery_support.languages import LanguageSelect, language_of
from sharing.models import (
    CalendarFeed,
    Comment,
    Encouragement,
    Grant,
    HelpRequest,
    Invitation,
    Review,
    Role,
)

ROLE_CHOICES = [
    (
        Role.COUNSELOR,
        _(
            "Counselor: sees my network, my check-ins, and what I share with my counselor "
            "from my plan"
        ),
    ),
    (
        Role.SUPPORTER,
        _(
            "Supporter: sees only what I share with supporters from my plan, and can send "
            "encouragement"
        ),
    ),
]


class InvitationForm(ConstraintsInDatabase, forms.ModelForm):
    role = forms.ChoiceField(
        label=_("What they will see"), choices=ROLE_CHOICES, widget=forms.RadioSelect
    )
    # Who is invited may read another language than the member (a mother invited by
    # her son): the email is in theirs, and so is the account they make from it.
    language = forms.ChoiceField(
        label=_("Their language"),
        choices=settings.LANGUAGES,  # each named in itself: "Español"
        widget=LanguageSelect,
        required=False,  # the member's own, if left out
        help_text=_("We write the invitation in it, and they can change it later."),
    )

    class Meta:
        model = Invitation
        fields = ["email", "role", "language", "ends_on"]
        widgets = {"ends_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"ends_on": _("Leave empty to share until you stop it.")}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["language"].initial = language_of(member.language)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.casefold() == self.member.email.casefold():
            raise forms.ValidationError(
                _("That is your own address. Who would you like to invite?")
            )
        return email

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or language_of(self.member.language)

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day after today."))
        return ends_on


class GrantSettingsForm(ConstraintsInDatabase, forms.ModelForm):
    """What the member allows one person; the fields depend on the role."""

    COUNSELOR_FIELDS = ["show_missed", "alert_on_help", "alert_after_missed", "email_notes"]
    SUPPORTER_FIELDS = [
        "show_plan",
        "show_days",
        "show_streak",
        "alert_on_help",
        "hide_messages",
        "source",
        "share_agreement",
    ]

    class Meta:
        model = Grant
        fields = [
            "show_plan",
            "show_days",
            "show_missed",
            "alert_on_help",
            "alert_after_missed",
            "email_notes",
            "show_streak",
            "hide_messages",
            "source",
            "share_agreement",
        ]
        help_texts = {
            "alert_after_missed": _("Leave empty for no alert. From 1 to 14."),
            "alert_on_help": _("The email says only that you asked, and when."),
            "source": _("Someone you marked a risk is never offered your requests for help."),
            "share_agreement": _("From step 3 of your plan, for the person chosen above."),
            "show_plan": _(
                "Each goal, meeting, warning sign and your first 24 hours for "
                "which you chose “My counselor and supporters”."
            ),
            "email_notes": _("The email says only that there is a note; you read it here."),
        }

    def __init__(self, *args, sources=None, **kwargs):
        """`sources`: the member's network, read once for all their grants' forms."""
        super().__init__(*args, **kwargs)
        keep = self.COUNSELOR_FIELDS if self.instance.is_counselor else self.SUPPORTER_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["alert_on_help"].label = gettext(
            "Email %(name)s when I ask for help (“I need help now”)"
        ) % {"name": self.instance.grantee}
        if self.instance.is_counselor:
            self.fields["alert_on_help"].help_text = gettext(
                "The email says only that you asked, and when. They also see when you "
                "asked, for two weeks, on your page and in their list of clients. Without "
                "this, they never see that you asked."
            )
        if "source" in self.fields:
            field = self.fields["source"]
            field.queryset = SupportSource.objects.filter(
                owner_id=self.instance.member_id, deleted_at__isnull=True
            )
            field.empty_label = gettext("Not in my network")
            if sources is not None:
                field.choices = [("", field.empty_label), *((s.pk, s.name) for s in sources)]
        if "alert_after_missed" in self.fields:
            field = self.fields["alert_after_missed"]
            field.min_value, field.max_value = 1, 14
            field.widget.attrs.update(min=1, max=14, inputmode="numeric")
            field.validators += [MinValueValidator(1), MaxValueValidator(14)]


class CommentForm(ConstraintsInDatabase, forms.ModelForm):
    """A counselor's new comment: about a step, or about one item of the plan that
    they can see (`items`: {choice value: (step, item)}, from notes.comment_items)."""

    about = forms.ChoiceField(label=_("What it is about"))

    field_order = ["about", "body"]

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, items: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items or {}
        steps = [
            (f"step:{n}", gettext("Step %(number)s: %(title)s") % {"number": n, "title": t})
            for n, t in STEP_TITLES.items()
        ]
        groups: dict[str, list] = {}
        for value, (_step, _item, group, label) in self.items.items():
            groups.setdefault(group, []).append((value, label))
        self.fields["about"].choices = [(gettext("The whole step"), steps), *groups.items()]

    def clean_about(self) -> dict:
        """{"step": n, "item": the goal, relapse item or plan source, or None}."""
        value = self.cleaned_data["about"]
        if value in self.items:
            step, item, _group, _label = self.items[value]
            return {"step": step, "item": item}
        return {"step": int(value.removeprefix("step:")), "item": None}


class ReplyForm(ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Your reply")}
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}


class ReviewForm(ConstraintsInDatabase, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Your review"),
        choices=[
            (Review.Status.REVIEWED, _("Looks good: the plan works for now")),
            (Review.Status.CHANGES, _("Ask for changes")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Review
        fields = ["status", "note"]
        labels = {"note": _("A note for them")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": _("They see it on their dashboard and their plan.")}

    def __init__(self, *args, empty_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_draft = empty_draft

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Review.Status.CHANGES and not cleaned.get("note", "").strip():
            self.add_error("note", gettext("Say what you would like them to change."))
        if cleaned.get("status") == Review.Status.REVIEWED and self.empty_draft:
            self.add_error(
                "status",
                gettext(
                    "Their plan is an empty draft, so there is nothing yet to look good. "
                    "Ask for changes with a note, or come back once they have started it."
                ),
            )
        return cleaned


class MarkReadForm(forms.Form):
    """The notes a member has just read: those shown to them, by id, so that a note
    that came in meanwhile stays new."""

    review = forms.ModelMultipleChoiceField(
        queryset=Review.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    comment = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.filter(plan__owner=member)
        self.fields["comment"].queryset = Comment.objects.filter(plan__owner=member)


class EncouragementForm(ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Encouragement
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 280})}
        help_texts = {"body": _("Up to 280 characters.")}


class MessageReplyForm(ConstraintsInDatabase, forms.ModelForm):
    """The member's reply to a supporter's message."""

    class Meta:
        model = Encouragement
        fields = ["reply"]
        widgets = {"reply": forms.Textarea(attrs={"rows": 2, "maxlength": 280})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].required = True


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing has been deleted."))
        return password


# --- Help requests -----------------------------------------------------------------

HELP_AHEAD = timedelta(days=90)


class HelpRequestForm(forms.Form):
    """What would help, when, where, and whom to ask. Times are the member's own."""

    kind = forms.ChoiceField(
        label=_("What would help"), choices=HelpRequest.Kind.choices, widget=forms.RadioSelect
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("at", _("On a day, at a time")), ("week", _("Any time this week"))],
        initial="at",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Choose the day.")},
    )
    at_time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Choose the time.")},
    )
    where = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("Only the people you ask see this."),
    )
    note = forms.CharField(
        label=_("A note for them"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    who = forms.ChoiceField(
        label=_("Who to ask"),
        choices=[
            ("everyone", _("Everyone who supports me")),
            ("chosen", _("Only the people I tick")),
        ],
        initial="everyone",
        widget=forms.RadioSelect,
    )
    chosen = forms.TypedMultipleChoiceField(
        label=_("The people to ask"),
        help_text=_("If you chose “Only the people I tick”."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person to ask.")},
    )

    def __init__(self, *args, member, supporters, **kwargs):
        """`supporters`: the grants a request may be offered to."""
        super().__init__(*args, **kwargs)
        self.member = member
        self.supporters = {grant.pk: grant for grant in supporters}
        self.fields["chosen"].choices = [(g.pk, str(g.grantee)) for g in supporters]
        # Day and time, and the people ticked, are needed only for some answers.
        if self.is_bound and self.data.get("when") != "at":
            self.fields["on"].required = self.fields["at_time"].required = False
        if self.is_bound and self.data.get("who") != "chosen":
            self.fields["chosen"].required = False

    def clean(self):
        cleaned = super().clean()
        if not self.supporters:
            raise forms.ValidationError(
                gettext(
                    "Nobody supports you here yet. Invite someone from your Sharing page first."
                )
            )
        if cleaned.get("when") == "at":
            self._clean_time(cleaned)
        else:
            cleaned["on"] = cleaned["at_time"] = None
        if cleaned.get("who") == "chosen":
            cleaned["chosen"] = [self.supporters[pk] for pk in cleaned.get("chosen") or ()]
        else:
            cleaned["chosen"] = None
        return cleaned

    def _clean_time(self, cleaned) -> None:
        on, at_time = cleaned.get("on"), cleaned.get("at_time")
        if on is None or at_time is None:
            return
        zone = ZoneInfo(self.member.time_zone)
        today = timezone.localdate(timezone=zone)
        # Days far off are refused before any arithmetic: 9999-12-31 in a zone west of
        # UTC is past the last datetime Python has.
        if not today - timedelta(days=1) <= on <= today + HELP_AHEAD:
            self.add_error("on", gettext("Choose a day between today and three months from now."))
            return
        at = datetime.combine(on, at_time, tzinfo=zone)
        now = timezone.now()
        if at <= now:
            self.add_error("at_time", gettext("Choose a time that is still to come."))


class ThanksForm(forms.Form):
    thanks = forms.CharField(
        label=_("Your thank-you"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("We email it to them, and they see it when they visit."),
    )


class HandBackForm(forms.Form):
    note = forms.CharField(
        label=_("A word for them"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("They see it with the request, which opens again for the others."),
    )


class CalendarSettingsForm(ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = CalendarFeed
        fields = ["discreet"]
