"""The help screen, and asking for help from it or from the dashboard: "I need help
now" on its own, and "I had a slip". The member's own plan comes first, then the
lines that answer day and night. Asking is saved by plans (which knows nobody's
grants); who is told is sharing's to say, so these pages sit above both."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from networks import selectors as network_selectors
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.forms import SlipForm
from plans.models import HelpCall
from recovery_support.crisis_lines import crisis_lines_for
from sharing import selectors as sharing_selectors


def _help_context(user) -> dict:
    """The help screen's own parts: for a signed-in person, their plan and people
    first; for anyone, the lines."""
    context = {"crisis_lines": crisis_lines_for(user), "crisis_contacts": []}
    if user.is_authenticated:
        context.update(
            plan_selectors.help_plan_for(user),
            crisis_contacts=network_selectors.crisis_contacts_for(user),
        )
    return context


def _call_for(request: HttpRequest, pk: int) -> HelpCall:
    return get_object_or_404(HelpCall, pk=pk, owner=request.user)


@require_GET
def need_help(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery_support/need_help.html", _help_context(request.user))


@require_POST
@login_required
def help_ask(request: HttpRequest) -> HttpResponse:
    """ "I need help now", alone: saved and sent on at once, nothing else asked."""
    call = plan_services.help_call_create(owner=request.user)
    return redirect("help-asked", call.pk)


@require_http_methods(["GET", "POST"])
@login_required
def help_slip(request: HttpRequest) -> HttpResponse:
    """ "I had a slip": the member's first-24-hours plan, and a form that records the
    slip for them alone and tells only the people they tick."""
    grants = sharing_selectors.people_with_access(request.user)
    people = {g.grantee_id: f"{g.grantee}, your {g.get_role_display().lower()}" for g in grants}
    form = SlipForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        call = plan_services.help_call_create(
            owner=request.user,
            kind=HelpCall.Kind.SLIP,
            note=form.cleaned_data["note"],
            tell=form.cleaned_data["tell"],
        )
        return redirect("help-asked", call.pk)
    context = _help_context(request.user) | {"form": form}
    status = 422 if form.errors else 200
    return render(request, "recovery_support/slip.html", context, status=status)


@require_GET
@login_required
def help_asked(request: HttpRequest, pk: int) -> HttpResponse:
    """After asking: who is being told and who is not, then the help screen. The
    check-in page loads the first part alone, where "I need help now" was ticked."""
    call = _call_for(request, pk)
    context = {
        "help_call": call,
        "told": sharing_selectors.help_told_for(call),
    }
    if request.htmx:
        return render(request, "recovery_support/need_help.html#told", context)
    context |= _help_context(request.user)
    return render(request, "recovery_support/need_help.html", context)
