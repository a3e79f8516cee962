from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Category, PracticalKind, SupportSource, SupportType
from recovery_support.forms import ConstraintsInDatabase


class SupportSourceForm(ConstraintsInDatabase, forms.ModelForm):
    support_types = forms.MultipleChoiceField(
        label=_("What support do they give?"),
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    practical_kinds = forms.MultipleChoiceField(
        label=_("Which practical help?"),
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
            "name": _("Name"),
            "category": _("Category"),
            "phone": _("Phone"),
            "email": _("Email"),
            "notes": _("Notes"),
            "relationship": _("Who they are to you"),
            "crisis_contact": _("I can reach them in a crisis"),
            "closeness": _("How close do you feel?"),
            "influence": _("How do they affect your recovery?"),
            "boundaries_note": _("Boundaries"),
            "known_for": _("How long have you known them?"),
            "contact_every_days": _("How often do you want to be in touch?"),
            "is_private": _("Keep private: never shown to anyone I share with"),
        }
        help_texts = {
            "relationship": _("For example sister, sponsor, neighbour."),
            "boundaries_note": _("What you need from them, and what you will not do."),
            "meets_where": _("For a group: the address or link."),
            "meets_when": _("For a group: for example Tuesdays 7pm."),
        }
        widgets = {
            "boundaries_note": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category")), *Category.choices]
        empty_labels = {"known_for": _("Not sure"), "contact_every_days": _("No plan")}
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
        label=_("Show"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    support = forms.ChoiceField(
        label=_("Giving"), choices=[("", _("Any support")), *SupportType.choices], required=False
    )

    def values(self) -> dict[str, str]:
        """The valid filters; anything unrecognised is simply not applied."""
        if self.is_valid():
            return self.cleaned_data
        return {"category": "", "support": ""}
