from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.forms import SupportSourceForm
from networks.models import ContactEvery, SupportSource, SupportType
from plans.models import Activity, Goal, Plan, PlanSource, RelapseItem
from recovery_support.forms import ChoicesReadOnce, ConstraintsInDatabase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _how_often_choices(empty: str) -> list:
    return [("", empty), *ContactEvery.choices]


# One choice of who sees each entry of the plan, in the same words everywhere.
VISIBILITY_LABEL = _("Who sees this")
VISIBILITY_WIDGET = forms.RadioSelect(attrs={"class": "visibility-choice"})


class KeepsVisibility:
    """A form with a choice of who sees the entry (a field named "…visibility"),
    which may be left out, by a page or a script older than the choice: the entry then
    keeps the choice it has (a new one, the default). Nobody's view widens unasked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [name for name in self.fields if name.endswith("visibility")]
        missing = [name for name in names if self.is_bound and not self.data.get(name)]
        if missing:
            self.data = self.data.copy()
            for name in missing:
                self.data[name] = getattr(self.instance, name)


class ChooseSourcesForm(forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Who could support you?"),
        queryset=SupportSource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the member's own sources can be chosen: any other id is "not a valid choice".
        self.fields["sources"].queryset = SupportSource.objects.filter(
            owner=owner, deleted_at__isnull=True
        ).order_by("name")


class QuickSourceForm(SupportSourceForm):
    """Add someone to the network without leaving step 1."""

    class Meta(SupportSourceForm.Meta):
        fields = ["name", "category", "relationship", "support_types"]


class AskForm(ConstraintsInDatabase, forms.ModelForm):
    ask_support = forms.TypedMultipleChoiceField(
        label=_("What will you ask for?"),
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PlanSource
        fields = [
            "ask_support",
            "ask_how_often",
            "ask_note",
            "outcome",
            "asked_on",
            "answered_on",
            "follow_up_on",
        ]
        labels = {
            "ask_how_often": _("How often?"),
            "ask_note": _("Anything else to say"),
            "outcome": _("How did it go?"),
            "asked_on": _("Asked on"),
            "answered_on": _("Answered on"),
            "follow_up_on": _("Follow up on"),
        }
        widgets = {
            "asked_on": DATE,
            "answered_on": DATE,
            "follow_up_on": DATE,
            "ask_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ask_how_often"].choices = _how_often_choices(_("When they can"))

    def clean(self):
        cleaned = super().clean()
        asked, answered = cleaned.get("asked_on"), cleaned.get("answered_on")
        if asked and answered and answered < asked:
            self.add_error("answered_on", _("The answer can't come before you asked."))
        return cleaned


class ExpectationForm(KeepsVisibility, ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = PlanSource
        fields = [
            "can_give",
            "can_give_how_often",
            "my_boundaries",
            "their_boundaries",
            "boundaries_visibility",
        ]
        labels = {
            "can_give": _("What they can realistically give"),
            "can_give_how_often": _("How often they can"),
            "my_boundaries": _("My boundaries"),
            "their_boundaries": _("Their boundaries"),
            "boundaries_visibility": _("Who sees these boundaries"),
        }
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("can_give", "my_boundaries", "their_boundaries")
            },
            "boundaries_visibility": VISIBILITY_WIDGET,
        }
        help_texts = {
            "boundaries_visibility": _(
                "Of your supporters, only this person, and only if you "
                "show them what your plan asks of them (on your Sharing page)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["can_give_how_often"].choices = _how_often_choices(_("Not sure yet"))


class ContactCadenceForm(ConstraintsInDatabase, forms.ModelForm):
    """How often to be in touch: the source's own planned contact, which the network
    page, the gaps and the dashboard all read."""

    class Meta:
        model = SupportSource
        fields = ["contact_every_days"]
        labels = {"contact_every_days": _("Be in touch")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_every_days"].choices = _how_often_choices(_("No regular contact"))


class ActivityForm(KeepsVisibility, ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "weekday", "time", "place", "visibility"]
        labels = {
            "kind": _("Kind"),
            "title": _("What"),
            "weekday": _("Day"),
            "time": pgettext_lazy("time of day", "Time"),
            "place": _("Where"),
            "visibility": VISIBILITY_LABEL,
        }
        widgets = {"time": TIME, "visibility": VISIBILITY_WIDGET}
        help_texts = {"visibility": _("Supporters see what it is, when and where.")}


class RelapseItemForm(KeepsVisibility, ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = RelapseItem
        fields = ["kind", "area", "description", "coping", "contact", "visibility"]
        labels = {
            "kind": _("Kind"),
            "area": _("Area (for a warning sign)"),
            "visibility": VISIBILITY_LABEL,
        }
        widgets = {"visibility": VISIBILITY_WIDGET}
        help_texts = {
            "visibility": _(
                "Supporters see what it is and what you will do, not whom you will contact."
            )
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        # The iterator first: setting the queryset gives the widget its options with it.
        contact.iterator = ChoicesReadOnce
        contact.queryset = SupportSource.objects.filter(
            owner=owner, deleted_at__isnull=True
        ).order_by("name")
        contact.empty_label = _("Nobody in particular")
        self.fields["area"].choices = [("", _("Not a warning sign")), *RelapseItem.Area.choices]

    def clean(self):
        cleaned = super().clean()
        kind, area = cleaned.get("kind"), cleaned.get("area")
        if kind == RelapseItem.Kind.WARNING_SIGN and not area:
            self.add_error(
                "area",
                _("Choose where you notice this sign: mood, body, behaviour, thinking or social."),
            )
        elif kind and kind != RelapseItem.Kind.WARNING_SIGN:
            cleaned["area"] = ""
        return cleaned


class GoalForm(KeepsVisibility, ConstraintsInDatabase, forms.ModelForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)

    class Meta:
        model = Goal
        fields = ["title", "target", "progress", "visibility"]
        labels = {"visibility": VISIBILITY_LABEL}
        widgets = {"visibility": VISIBILITY_WIDGET}
        help_texts = {"visibility": _("Supporters see the goal and its progress.")}


class FirstDayForm(KeepsVisibility, ConstraintsInDatabase, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["first_day_after_slip", "first_day_visibility"]
        labels = {"first_day_visibility": VISIBILITY_LABEL}
        widgets = {
            "first_day_after_slip": forms.Textarea(attrs={"rows": 4}),
            "first_day_visibility": VISIBILITY_WIDGET,
        }
        help_texts = {
            "first_day_after_slip": _(
                "Who you will tell, where you will be safe, what you will do in the first day."
            ),
            "first_day_visibility": _("Supporters see what you write here."),
        }


class SlipForm(forms.Form):
    """A slip, noted: words for the member alone, and whom to tell. The people on
    offer (`people`: {user id: how to name them}) are those with access, found by the
    view: plans knows nobody's grants. Nobody is ticked until the member ticks them."""

    note = forms.CharField(
        label=_("Anything you want to remember about it"),
        help_text=_("Only you see this."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tell = forms.TypedMultipleChoiceField(
        label=_("Who would you like to tell?"),
        help_text=_(
            "Only the people you tick get an email: that you had a slip, and when. "
            "Nobody else is told."
        ),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tell"].choices = list(people.items())
