"""The daily check-in and its history. One check-in a local day (the middleware has
activated the member's time zone), changed as often as the member likes that day."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap

from networks import selectors as network_selectors
from networks.models import ContactLog
from plans import charts, services
from plans.checkin_forms import MOOD_WORDS, CheckInForm, craving_words
from plans.models import CheckIn, CheckInSchedule
from recovery_support.htmx import render_partials

THANKS = "Thank you for checking in."
THANKS_HELP = (
    "Thank you for checking in. Please reach out now: these people and lines are here for you."
)


def _help_context(request: HttpRequest) -> dict:
    return {
        "crisis_contacts": network_selectors.crisis_contacts_for(request.user),
        "crisis_lines": settings.CRISIS_LINES,
    }


@require_http_methods(["GET", "POST"])
@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "GET":
        existing = (
            CheckIn.objects.filter(owner=request.user, day=today)
            .prefetch_related("triggers", "supports_contacted")
            .first()
        )
        form = CheckInForm(instance=existing, owner=request.user)
        context = {"form": form, "today": today, "checked_in": existing is not None}
        return render(request, "plans/checkin.html", context)

    form = CheckInForm(request.POST, owner=request.user)
    valid = form.is_valid()
    needs_help = form.needs_help
    if valid:
        services.checkin_save(owner=request.user, day=today, data=form.cleaned_data)
    checked_in = valid or CheckIn.objects.filter(owner=request.user, day=today).exists()
    context = {"form": form, "today": today, "checked_in": checked_in, "status_text": ""}
    # Whoever ticks "I need help now" sees who to reach at once, even if another
    # answer needs fixing and nothing was saved.
    if needs_help:
        context.update(_help_context(request), show_help=True)
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

WINDOWS = (30, 90)
MOOD_TICKS = MOOD_WORDS
CRAVING_TICKS = {0: "0", 5: "5", 10: "10"}  # the words are in the caption


@require_GET
@login_required
def history(request: HttpRequest) -> HttpResponse:
    """A fixed handful of queries however long the history: every check-in's day and
    answers (a few numbers a day, needed whole for the streak), the schedule, and the
    contacts of the last eight weeks counted per week by the database."""
    today = timezone.localdate()
    window = 90 if request.GET.get("days") == "90" else 30
    window_start = today - timedelta(days=window - 1)

    rows = list(
        CheckIn.objects.filter(owner=request.user, day__lte=today)
        .order_by("day")
        .values_list("day", "mood", "craving")
    )
    days = {day for day, _, _ in rows}
    in_window = [(day, mood, craving) for day, mood, craving in rows if day >= window_start]

    schedule = (
        CheckInSchedule.objects.filter(owner=request.user)
        .values("recovery_started_on", "created_at", "weekdays")
        .first()
    )
    began = [rows[0][0]] if rows else []
    if schedule:
        began.append(timezone.localdate(schedule["created_at"]))
    missed = charts.missed_days(
        days,
        window_start=window_start,
        today=today,
        began_on=min(began, default=None),
        weekdays=schedule["weekdays"] if schedule else (),
    )
    started_on = schedule and schedule["recovery_started_on"]

    first_monday = today - timedelta(days=today.weekday(), weeks=7)
    weekly = (
        ContactLog.objects.filter(source__owner=request.user, contacted_on__gte=first_monday)
        .annotate(monday=TruncWeek("contacted_on"))
        .order_by()
        .values("monday")
        .annotate(n=Count("pk"))
    )

    chart_window = {"start": window_start, "end": today}
    context = {
        "today": today,
        "window": window,
        "windows": WINDOWS,
        "streak": charts.current_streak(days, today),
        "checked_in_today": today in days,
        "recovery": charts.recovery(started_on, today) if started_on else None,
        "missed": missed,
        "checkin_count": len(in_window),
        "mood_chart": charts.line_chart(
            [(day, mood) for day, mood, _ in in_window],
            low=1,
            high=5,
            ticks=MOOD_TICKS,
            word=MOOD_WORDS.__getitem__,
            **chart_window,
        ),
        "craving_chart": charts.line_chart(
            [(day, craving) for day, _, craving in in_window],
            low=0,
            high=10,
            ticks=CRAVING_TICKS,
            word=craving_words,
            **chart_window,
        ),
        "contact_weeks": charts.contact_weeks({row["monday"]: row["n"] for row in weekly}, today),
    }
    return render(request, "plans/history.html", context)
