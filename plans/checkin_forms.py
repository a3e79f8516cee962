from django import forms
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from networks.models import SupportSource
from plans.models import CheckIn, RelapseItem
from recovery_support.forms import ChoicesReadOnce, ConstraintsInDatabase

MOOD_CHOICES = [
    (1, pgettext_lazy("mood", "Very low")),
    (2, pgettext_lazy("mood", "Low")),
    (3, pgettext_lazy("mood", "Okay")),
    (4, pgettext_lazy("mood", "Good")),
    (5, pgettext_lazy("mood", "Very good")),
]
MOOD_WORDS = dict(MOOD_CHOICES)
CRAVING_CHOICES = [
    (0, _("0 (none)")),
    *((n, str(n)) for n in range(1, 10)),
    (10, _("10 (overwhelming)")),
]


def craving_words(value: int) -> str:
    if value == 0:
        return pgettext("craving", "none")
    if value == 10:
        return pgettext("craving", "overwhelming")
    return gettext("%(value)s out of 10") % {"value": value}


class _Triggers(forms.ModelMultipleChoiceField):
    iterator = ChoicesReadOnce

    def label_from_instance(self, obj: RelapseItem) -> str:
        return obj.description


class _SupportsWidget(forms.CheckboxSelectMultiple):
    """Each person, and where the member marked them a risk to their recovery, the
    caution the plan's steps give them, shown once ticked."""

    template_name = "plans/checkin.html#supports-contacted"


class _Supports(forms.ModelMultipleChoiceField):
    iterator = ChoicesReadOnce

    def label_from_instance(self, obj: SupportSource) -> str:
        return obj.name


class CheckInForm(ConstraintsInDatabase, forms.ModelForm):
    mood = forms.TypedChoiceField(
        label=_("How are you feeling today?"),
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale scale--mood"}),
        error_messages={"required": _("Choose the word closest to how you feel today.")},
    )
    craving = forms.TypedChoiceField(
        label=_("How strong are any cravings today?"),
        choices=CRAVING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale scale--craving"}),
        help_text=_("0 means none at all, 10 means overwhelming. Any answer is okay."),
        error_messages={"required": _("Choose a number from 0 (none) to 10 (overwhelming).")},
    )
    triggers = _Triggers(
        label=_("Did you notice any of these today?"),
        queryset=RelapseItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Warning signs, triggers and situations from your plan."),
    )
    supports_contacted = _Supports(
        label=_("Who were you in touch with today?"),
        queryset=SupportSource.objects.none(),
        widget=_SupportsWidget,
        required=False,
    )

    class Meta:
        model = CheckIn
        fields = [
            "mood",
            "craving",
            "triggers",
            "coping_used",
            "supports_contacted",
            "meeting_attended",
            "note",
            "needed_help",
        ]
        labels = {
            "coping_used": _("What helped?"),
            "meeting_attended": _("I went to a meeting today"),
            "note": _("Anything else on your mind?"),
            "needed_help": _("I need help now"),
        }
        help_texts = {
            "coping_used": _("A coping strategy you used, big or small."),
            "needed_help": _("We will show you who you can reach straight away."),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the member's own items and people: any other id is "not a valid choice".
        self.fields["triggers"].queryset = RelapseItem.objects.filter(plan__owner=owner).order_by(
            "pk"
        )
        self.fields["supports_contacted"].queryset = SupportSource.objects.filter(
            owner=owner, deleted_at__isnull=True
        ).order_by("name", "pk")

    @property
    def needs_help(self) -> bool:
        """Whether "I need help now" was ticked, even when other answers need fixing."""
        return bool(self.is_bound and self["needed_help"].data)
