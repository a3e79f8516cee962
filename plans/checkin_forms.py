from django import forms

from networks.models import SupportSource
from plans.models import CheckIn, RelapseItem
from recovery_support.forms import ChoicesReadOnce, ConstraintsInDatabase

MOOD_CHOICES = [(1, "Very low"), (2, "Low"), (3, "Okay"), (4, "Good"), (5, "Very good")]
MOOD_WORDS = dict(MOOD_CHOICES)
CRAVING_CHOICES = [(0, "0 (none)"), *((n, str(n)) for n in range(1, 10)), (10, "10 (overwhelming)")]


def craving_words(value: int) -> str:
    return {0: "none", 10: "overwhelming"}.get(value, f"{value} out of 10")


class _Triggers(forms.ModelMultipleChoiceField):
    iterator = ChoicesReadOnce

    def label_from_instance(self, obj: RelapseItem) -> str:
        return obj.description


class _Supports(forms.ModelMultipleChoiceField):
    iterator = ChoicesReadOnce

    def label_from_instance(self, obj: SupportSource) -> str:
        return obj.name


class CheckInForm(ConstraintsInDatabase, forms.ModelForm):
    mood = forms.TypedChoiceField(
        label="How are you feeling today?",
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale scale--mood"}),
        error_messages={"required": "Choose the word closest to how you feel today."},
    )
    craving = forms.TypedChoiceField(
        label="How strong are any cravings today?",
        choices=CRAVING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale scale--craving"}),
        help_text="0 means none at all, 10 means overwhelming. Any answer is okay.",
        error_messages={"required": "Choose a number from 0 (none) to 10 (overwhelming)."},
    )
    triggers = _Triggers(
        label="Did you notice any of these today?",
        queryset=RelapseItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Warning signs, triggers and situations from your plan.",
    )
    supports_contacted = _Supports(
        label="Who were you in touch with today?",
        queryset=SupportSource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
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
            "coping_used": "What helped?",
            "meeting_attended": "I went to a meeting today",
            "note": "Anything else on your mind?",
            "needed_help": "I need help now",
        }
        help_texts = {
            "coping_used": "A coping strategy you used, big or small.",
            "needed_help": "We will show you who you can reach straight away.",
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
