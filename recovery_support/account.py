"""A person's own details, and their day count: what we call them, when their recovery
started (asked on the dashboard when they first arrive, changeable on their account
page, never later than their today), and their answer after a slip."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from plans import selectors as plan_selectors
from recovery_support import services
from recovery_support.languages import LanguageSelect, locale_of, remember_language
from recovery_support.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECOVERY_START = _("When did your recovery start?")


class AboutYouForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "recovery_started_on", "country", "language"]
        labels = {
            "display_name": _("What should we call you?"),
            "country": _("Where do you live?"),
            "language": _("Language"),
            "recovery_started_on": RECOVERY_START,
        }
        help_texts = {
            # “Someone you know” is models.NO_NAME: the two say the same words.
            "display_name": _(
                "A first name or nickname. The people you share with see it; without one, "
                "they see “Someone you know”, never your email address."
            ),
            "recovery_started_on": _(
                "We count your days from it. Only you see your count. "
                "Leave it empty to stop counting."
            ),
            "country": _("We show the crisis lines of your country."),
        }
        widgets = {"recovery_started_on": DATE, "language": LanguageSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.has_own_space:
            del self.fields["recovery_started_on"]
        # A page or script older than the choice may leave it out: the country stays,
        # and so does the language.
        self.fields["country"].required = False
        self.fields["language"].required = False

    def clean_country(self) -> str:
        return self.cleaned_data["country"] or self.instance.country

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.instance.language


class StartDateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["recovery_started_on"]
        labels = {"recovery_started_on": RECOVERY_START}
        help_texts = {
            "recovery_started_on": _(
                "We count your days from it. Only you see your count. You can change it any time."
            )
        }
        widgets = {"recovery_started_on": DATE}
        error_messages = {
            "recovery_started_on": {"required": _("Choose a date, or press “Not now”.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recovery_started_on"].required = True
        self.hide_optional = True


@require_http_methods(["GET", "POST"])
@login_required
def details(request: HttpRequest) -> HttpResponse:
    """The account page: what we call them and, in their own space, their start date."""
    # Validate a copy, so a 422 never shows values that were not saved.
    user = User.objects.get(pk=request.user.pk)
    form = AboutYouForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The next page is in the language just chosen, and "Saved." with it.
        translation.activate(locale_of(user))
        messages.success(request, gettext("Saved."))
        return remember_language(redirect("account-details"), user.language)
    status = 422 if form.errors else 200
    return render(request, "recovery_support/about_you.html", {"form": form}, status=status)


def day_count_context(
    user: User, form: StartDateForm | None = None, notice: str = "", problem: str = ""
) -> dict:
    """What the day count card shows (recovery_support/day_count.html#day-count): the
    start date's form only where the card asks for one."""
    day_count = plan_selectors.day_count_for(user)
    return {
        "day_count": day_count,
        "start_form": form or (StartDateForm() if day_count.ask_start_date else None),
        "notice": notice,
        "problem": problem,
    }


def _day_count(
    request: HttpRequest, form=None, *, notice: str = "", problem: str = "", status: int = 200
):
    """The day count card alone (for HTMX), or on a page of its own (without JavaScript,
    to show what to fix)."""
    context = day_count_context(request.user, form, notice, problem)
    template = "recovery_support/day_count.html"
    if request.htmx:
        template += "#day-count"
    return render(request, template, context, status=status)


@require_POST
@login_required
def recovery_start(request: HttpRequest) -> HttpResponse:
    """The dashboard's first question: their start date, or "Not now"."""
    user = request.user
    if "skip" in request.POST:
        services.recovery_date_skip(user=user)
        notice = gettext(
            "No problem. You can add your start date on your account page whenever you like."
        )
    else:
        form = StartDateForm(request.POST, instance=User.objects.get(pk=user.pk))
        if not form.is_valid():
            return _day_count(request, form, status=422)
        user = form.save()
        notice = gettext("Saved. Here is your count.")
    if request.htmx:
        request.user = user
        return _day_count(request, notice=notice)
    messages.success(request, notice)
    return redirect("dashboard")


@require_POST
@login_required
def recovery_restart(request: HttpRequest) -> HttpResponse:
    """ "Start counting again from today?" after a slip: the member's choice alone."""
    answer = request.POST.get("answer")
    if request.user.recovery_started_on is None:
        return _day_count(request, problem=gettext("Add your start date first."), status=422)
    if answer not in {"keep", "restart"}:
        problem = gettext("Choose “Keep my count” or “Start again”.")
        return _day_count(request, problem=problem, status=422)
    days = services.recovery_restart_answer(user=request.user, start_again=answer == "restart")
    if answer == "restart":
        notice = ngettext(
            "Day one again. Your %(count)s day before still count: you learned from every one.",
            "Day one again. Your %(count)s days before still count: you learned from every one.",
            days,
        ) % {"count": days}
    else:
        notice = ngettext(
            "Your count stays at %(count)s day. A slip does not undo the work you have done.",
            "Your count stays at %(count)s days. A slip does not undo the work you have done.",
            days,
        ) % {"count": days}
    if request.htmx:
        return _day_count(request, notice=notice)
    messages.success(request, notice)
    return redirect("dashboard")
