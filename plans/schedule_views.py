"""The check-in schedule, and the one-click link in reminder emails."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from plans import reminders, selectors, services
from plans.models import CheckInSchedule, Weekday
from recovery_support.forms import ConstraintsInDatabase
from recovery_support.models import time_zone_choices


class ScheduleForm(ConstraintsInDatabase, forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days?"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave them all unticked to be reminded every day. To stop reminders, "
            "tick “Pause reminders for now”."
        ),
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=time_zone_choices)

    class Meta:
        model = CheckInSchedule
        fields = ["local_time", "weekdays", "paused"]
        labels = {"local_time": _("At what time?"), "paused": _("Pause reminders for now")}
        widgets = {"local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


@require_http_methods(["GET", "POST"])
@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    schedule = selectors.schedule_of(request.user)
    # A POST with no fields at all is still a submission: bound, so it shows its errors.
    data = request.POST if request.method == "POST" else None
    # Validate a copy, so a 422 never shows values that were not saved.
    form = ScheduleForm(
        data, instance=copy.copy(schedule), initial={"time_zone": request.user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        schedule = services.schedule_save(owner=request.user, data=form.cleaned_data)
        messages.success(
            request,
            gettext("Saved. Reminders are paused.")
            if schedule.paused
            else gettext("Saved. We'll remind you at the time you chose."),
        )
        return redirect("plans:schedule")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "plans/schedule.html", {"form": form, "schedule": schedule}, status=status
    )


LINK_PROBLEMS = {
    "expired": (
        _("This link has expired"),
        _("Reminder links work for 24 hours. You can still check in now."),
    ),
    "used": (
        _("This link was already used"),
        _("Each reminder link works once. You can still check in now."),
    ),
    "invalid": (
        _("This link doesn't look right"),
        _("It may have been cut short when it was copied. You can still check in now."),
    ),
    "other_account": (
        _("This link is for another account"),
        _(
            "You are signed in as someone else. Sign out, then open the link again "
            "from the reminder email."
        ),
    ),
}


@require_GET
@login_required
def reminder_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open the check-in from a reminder email, once, for the right account; then go on
    to a URL without the token."""
    try:
        reminders.reminder_link_use(token=token, user=request.user)
    except reminders.LinkError as problem:
        title, text = LINK_PROBLEMS[problem.reason]
        return render(
            request,
            "plans/link_problem.html",
            {"title": title, "text": text, "reason": problem.reason},
            status=410 if problem.reason in {"expired", "used"} else 403,
        )
    return redirect("plans:checkin")
