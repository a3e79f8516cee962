from django import forms

from networks.models import Category, PracticalKind, SupportSource, SupportType
from recovery_support.forms import ConstraintsInDatabase


class SupportSourceForm(ConstraintsInDatabase, forms.ModelForm):
    support_types = forms.MultipleChoiceField(
        label="What support do they give?",
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    practical_kinds = forms.MultipleChoiceField(
        label="Which practical help?",
        choices=PracticalKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SupportSource
        fields = [
            "name",
            "category",
            "relationship",
            "support_types",
            "practical_kinds",
            "crisis_contact",
            "closeness",
            "influence",
            "boundaries_note",
            "phone",
            "email",
            "meets_where",
            "meets_when",
            "known_for",
            "contact_every_days",
            "notes",
            "is_private",
        ]
        labels = {
            "name": "Name",
            "relationship": "Who they are to you",
            "crisis_contact": "I can reach them in a crisis",
            "closeness": "How close do you feel?",
            "influence": "How do they affect your recovery?",
            "boundaries_note": "Boundaries",
            "known_for": "How long have you known them?",
            "contact_every_days": "How often do you want to be in touch?",
            "is_private": "Keep private: never shown to anyone I share with",
        }
        help_texts = {
            "relationship": "For example sister, sponsor, neighbour.",
            "boundaries_note": "What you need from them, and what you will not do.",
            "meets_where": "For a group: the address or link.",
            "meets_when": "For a group: for example Tuesdays 7pm.",
        }
        widgets = {
            "boundaries_note": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category"), *Category.choices]
        empty_labels = {"known_for": "Not sure", "contact_every_days": "No plan"}
        for name, label in empty_labels.items():
            if name in self.fields:
                self.fields[name].choices = [("", label), *self.fields[name].choices[1:]]
        for name in ("name", "relationship", "meets_where", "meets_when"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        # Choosing a kind of practical help means they give practical support.
        support = cleaned.get("support_types") or []
        if cleaned.get("practical_kinds") and SupportType.PRACTICAL not in support:
            cleaned["support_types"] = [*support, SupportType.PRACTICAL.value]
        return cleaned


class NetworkFilterForm(forms.Form):
    hide_optional = True  # filters are optional by nature; don't say so on each

    category = forms.ChoiceField(
        label="Show", choices=[("", "All categories"), *Category.choices], required=False
    )
    support = forms.ChoiceField(
        label="Giving", choices=[("", "Any support"), *SupportType.choices], required=False
    )

    def values(self) -> dict[str, str]:
        """The valid filters; anything unrecognised is simply not applied."""
        if self.is_valid():
            return self.cleaned_data
        return {"category": "", "support": ""}
