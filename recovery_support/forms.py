from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from recovery_support.crisis_lines import COUNTRY_CHOICES, DEFAULT_COUNTRY
from recovery_support.models import time_zone_choices
from recovery_support.validators import validate_one_line
from recovery_support.widgets import DRAWN
from sharing import invited

# Django's label for a list with nothing chosen yet (a model field's blank choice) is
# not in Django's own Spanish catalogue; marked here, ours carries it.
BLANK_CHOICE_LABEL = _("- Select an option -")


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=80,
        required=False,
        help_text=_("A first name or nickname is plenty."),
        validators=[validate_one_line],
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        help_text=_("So reminders arrive at your local time."),
    )
    country = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=COUNTRY_CHOICES,
        initial=DEFAULT_COUNTRY,
        required=False,  # left out (an older page): the default
        help_text=_("We show the crisis lines of your country. You can change it later."),
    )
    is_professional = forms.BooleanField(
        label=_("I am signing up as a counselor or other professional"),
        required=False,
        help_text=_("Professional accounts set up two-factor sign-in before anything else."),
    )

    field_order = [
        "email",
        "display_name",
        "password1",
        "password2",
        "time_zone",
        "country",
        "is_professional",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.DEFAULT_MEMBER_TIME_ZONE
        if not self.is_bound:
            # static/js/app.js preselects the browser's zone on a fresh form.
            self.fields["time_zone"].widget.attrs["data-guess"] = ""
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self._fit_invitation()

    def _fit_invitation(self) -> None:
        """Signing up to answer an invitation: the invited address is filled in (from
        allauth's stash, by its sign-up view) and trusted as it is (AccountAdapter);
        whether they come as a counselor is the invitation's to say."""
        request = context.request
        if request is None or invited.answerable(request) is None:
            return
        self.fields["email"].help_text = _(
            "This is the address your invitation was sent to, so it needs no checking. "
            "If you use another, we will email it a link to confirm it first."
        )
        del self.fields["is_professional"]


class FormRenderer(TemplatesSetting):
    """Our field layout (templates/forms/field.html): labels without a trailing
    colon, "(optional)" where a field may be left empty, checkbox before its label.
    Django's widget and error-list templates are drawn in Python
    (recovery_support/widgets.py)."""

    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        draw, keys = DRAWN.get(template_name, (None, None))
        if draw is None or set(context) != keys:
            return super().render(template_name, context, request)
        return draw(context).strip()


class ChoicesReadOnce(ModelChoiceIterator):
    """A model choice field's options read from its queryset once per form, in one
    ordinary query: Django runs it again for "is there anything to choose?" and reads
    the options through a server-side cursor (three round trips)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class ConstraintsInDatabase:
    """For model forms whose fields already enforce every CheckConstraint.

    Django would otherwise check each constraint with its own query on every
    save; PostgreSQL enforces them all anyway."""

    def validate_constraints(self):
        pass
