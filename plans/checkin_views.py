"""The daily check-in and its history. One check-in a local day, in the member's time
zone (plans/days.py keeps a day whole when the zone changes), changed as often as the
member likes that day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap

from networks import selectors as network_selectors
from plans import selectors, services
from plans.checkin_forms import CheckInForm
from recovery_support.crisis_lines import crisis_lines_for
from recovery_support.htmx import render_partials

THANKS = _("Thank you for checking in.")
THANKS_HELP = _(
    "Thank you for checking in. Please reach out now: these people and lines are here for you."
)


def _help_context(request: HttpRequest) -> dict:
    return {
        "crisis_contacts": network_selectors.crisis_contacts_for(request.user),
        "crisis_lines": crisis_lines_for(request.user),
    }


@require_http_methods(["GET", "POST"])
@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    today, existing = selectors.checkin_today(request.user)
    if request.method == "GET":
        if existing:
            prefetch_related_objects([existing], "triggers", "supports_contacted")
        form = CheckInForm(instance=existing, owner=request.user)
        context = {"form": form, "today": today, "checked_in": existing is not None}
        return render(request, "plans/checkin.html", context)

    form = CheckInForm(request.POST, owner=request.user)
    valid = form.is_valid()
    needs_help = form.needs_help
    help_call = None
    if needs_help:
        # Asking for help is saved first, whatever else was or was not answered.
        help_call = services.help_call_from_checkin(owner=request.user, day=today)
    if valid:
        services.checkin_save(owner=request.user, day=today, data=form.cleaned_data)
    checked_in = valid or existing is not None
    context = {"form": form, "today": today, "checked_in": checked_in, "status_text": ""}
    # Whoever ticks "I need help now" sees who to reach at once, even if another
    # answer needs fixing and nothing was saved.
    if needs_help:
        context.update(_help_context(request), show_help=True, help_call=help_call)
        if not valid and set(form.errors) <= {"mood", "craving"}:
            # Asking for help is never an error: show the help, and offer the rest of
            # the check-in, unmarked, for when they feel able.
            context["form"] = CheckInForm(initial=_typed(request), owner=request.user)
            context["finish_later"] = True
    if valid:
        context["status_text"] = THANKS_HELP if needs_help else THANKS
    status = 200 if valid or context.get("finish_later") else 422

    if request.htmx:
        response = render_partials(
            request, "plans/checkin.html", ["checkin-form", "status"], context, status=status
        )
        # Bring the thanks and any help above the form into view; otherwise, on a
        # 422, the page moves focus (and so the view) to the first answer to fix.
        if valid or needs_help:
            return reswap(response, "outerHTML show:#checkin-status:top")
        return response
    if valid and not needs_help:
        messages.success(request, THANKS)
        return redirect("plans:history")
    return render(request, "plans/checkin.html", context, status=status)


def _typed(request: HttpRequest) -> dict:
    """What the person typed, to show again in an unmarked form."""
    data = request.POST.dict()
    for name in ("triggers", "supports_contacted"):
        data[name] = request.POST.getlist(name)
    return data


# --- History ---------------------------------------------------------------------


@require_GET
@login_required
def history(request: HttpRequest) -> HttpResponse:
    window = 90 if request.GET.get("days") == "90" else 30
    context = selectors.history_for(request.user, window=window)
    return render(request, "plans/history.html", context)
