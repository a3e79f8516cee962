"""The person's devices on their account pages: turning notifications on here (the
browser subscribes in static/js/pwa.js and posts what it got), the list, removing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from recovery_support.push import services
from recovery_support.push.forms import DeliveryChoicesForm, SubscriptionForm
from recovery_support.push.models import DeliveryChoices, PushSubscription


def _choices_form(request: HttpRequest, data=None) -> DeliveryChoicesForm:
    saved = DeliveryChoices.objects.filter(owner=request.user).first()
    initial = {}
    if saved is not None:
        initial = saved.channels | {
            "quiet_start": saved.quiet_start,
            "quiet_end": saved.quiet_end,
            "meeting_lead_minutes": saved.meeting_lead_minutes,
        }
    return DeliveryChoicesForm(data, initial=initial, kinds=services.KINDS)


def _devices_page(request: HttpRequest, form: DeliveryChoicesForm, status: int = 200):
    context = {
        "devices": PushSubscription.objects.filter(owner=request.user),
        "vapid_public_key": services.vapid_public_key(),
        "choices_form": form,
    }
    return render(request, "push/devices.html", context, status=status)


@require_GET
@login_required
def devices(request: HttpRequest) -> HttpResponse:
    return _devices_page(request, _choices_form(request))


@require_POST
@login_required
def choices(request: HttpRequest) -> HttpResponse:
    form = _choices_form(request, request.POST)
    if not form.is_valid():
        return _devices_page(request, form, status=422)
    services.delivery_choices_save(
        owner=request.user,
        channels=form.channels(),
        quiet_start=form.cleaned_data["quiet_start"],
        quiet_end=form.cleaned_data["quiet_end"],
        meeting_lead_minutes=form.cleaned_data["meeting_lead_minutes"],
    )
    messages.success(request, gettext("Saved. Reminders will reach you the way you chose."))
    return redirect("push:devices")


@require_POST
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_ul(), status=422)  # the script says it simply
    services.subscription_save(owner=request.user, **form.cleaned_data)
    messages.success(
        request,
        gettext("Notifications are on for %(device)s.")
        % {"device": form.cleaned_data["device_name"]},
    )
    return HttpResponse(status=201)


@require_POST
@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.subscription_remove(owner=request.user, pk=pk):
        return HttpResponse(status=404)
    messages.success(request, gettext("That device will get no more notifications."))
    return redirect("push:devices")


@require_POST
@login_required
def test(request: HttpRequest) -> HttpResponse:
    sent = services.push_send(user=request.user, kind="test")
    if sent:
        messages.success(request, gettext("We sent a test notification to your devices."))
    else:
        messages.info(
            request, gettext("No device took the test notification. Try turning them on again.")
        )
    return redirect("push:devices")
