"""Practical help, both sides (the member asking, a supporter taking it on), "How to
help" for supporters, and everyone's private calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sharing import calendar_feed, guidance, help_requests, selectors, services
from sharing.client_views import _supporting_page
from sharing.forms import CalendarSettingsForm, HandBackForm, HelpRequestForm, ThanksForm
from sharing.models import HelpRequest, Role

# --- The member asks ------------------------------------------------------------


def _help_page(request: HttpRequest, *, form=None, status: int = 200) -> HttpResponse:
    member = request.user
    supporters = help_requests.supporters_to_offer(member)
    context = {
        "help": help_requests.help_for_member(member),
        "supporters": supporters,
        "form": form or HelpRequestForm(member=member, supporters=supporters),
    }
    return render(request, "sharing/help_requests.html", context, status=status)


@require_GET
@login_required
def help_requests_page(request: HttpRequest) -> HttpResponse:
    return _help_page(request)


@require_POST
@login_required
def help_request_create(request: HttpRequest) -> HttpResponse:
    member = request.user
    supporters = help_requests.supporters_to_offer(member)
    form = HelpRequestForm(request.POST, member=member, supporters=supporters)
    if not form.is_valid():
        return _help_page(request, form=form, status=422)
    data = form.cleaned_data
    help_requests.help_request_create(
        member=member,
        kind=data["kind"],
        on=data["on"],
        at_time=data["at_time"],
        where=data["where"],
        note=data["note"],
        chosen=data["chosen"],
    )
    messages.success(request, gettext("Your request is sent. We'll show you here who takes it on."))
    return redirect("sharing:help-requests")


def _own_request(request: HttpRequest, pk: int) -> HelpRequest:
    help_request = help_requests.own_request(request.user, pk)
    if help_request is None:
        raise Http404("No such request")
    return help_request


@require_POST
@login_required
def help_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _own_request(request, pk)
    if help_requests.help_request_cancel(help_request=help_request):
        messages.success(
            request, gettext("Cancelled. If someone had taken it on, we've let them know.")
        )
    return redirect("sharing:help-requests")


@require_http_methods(["GET", "POST"])
@login_required
def help_request_thank(request: HttpRequest, pk: int) -> HttpResponse:
    """A drafted thank-you, for the member to make their own and send."""
    help_request = _own_request(request, pk)
    if help_request.claimed_by is None:
        raise Http404("Nobody has taken this on")
    help_request.when = help_requests.when_text(help_request)
    form = ThanksForm(initial={"thanks": help_requests.thanks_draft(help_request)})
    if request.method == "POST" and not help_request.thanked_at:
        form = ThanksForm(request.POST)
        if form.is_valid():
            help_requests.help_request_thank(
                help_request=help_request, thanks=form.cleaned_data["thanks"]
            )
            messages.success(
                request,
                gettext("Your thank-you is on its way to %(name)s.")
                % {"name": help_request.claimed_by},
            )
            return redirect("sharing:help-requests")
    status = 422 if form.errors else 200
    context = {"help_request": help_request, "form": form}
    return render(request, "sharing/help_thank.html", context, status=status)


# --- A supporter takes it on ----------------------------------------------------


def _back_to_supporting(request: HttpRequest, grant, note: str) -> HttpResponse:
    """After a supporter's post: the help section for htmx, saying `note` (a read of
    the member's requests, recorded), else the page again."""
    if request.htmx:
        services.access_record(grant=grant, what=gettext_noop("requests for help"))
        context = {
            "grant": grant,
            "help": help_requests.help_for_supporter(grant),
            "status_note": note,
        }
        return render(request, "sharing/supporting_help.html#help-section", context)
    messages.info(request, note)
    response = redirect("sharing:supporting", grant.member_id)
    response["Location"] += "#help"
    return response


@require_POST
@login_required
def help_claim(request: HttpRequest, member_id: int, pk: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.SUPPORTER)
    if help_requests.help_request_claim(grant=grant, pk=pk):
        note = gettext("Thank you. %(name)s can see that you're on it.") % {"name": grant.member}
    else:
        note = gettext("Someone else has just taken this on, or it is no longer needed.")
    return _back_to_supporting(request, grant, note)


@require_POST
@login_required
def help_hand_back(request: HttpRequest, member_id: int, pk: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.SUPPORTER)
    if not HelpRequest.objects.filter(pk=pk, member=grant.member, claimed_by=request.user).exists():
        raise Http404("Not yours to hand back")
    form = HandBackForm(request.POST)
    if not form.is_valid():
        return _supporting_page(request, grant, hand_back_form=form, hand_back_pk=pk, status=422)
    help_requests.help_request_hand_back(grant=grant, pk=pk, note=form.cleaned_data["note"])
    note = gettext("Handed back. We've let %(name)s know.") % {"name": grant.member}
    return _back_to_supporting(request, grant, note)


@require_POST
@login_required
def lesson_read(request: HttpRequest, member_id: int, slug: str) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.SUPPORTER)
    if slug not in guidance.LESSON_SLUGS:
        raise Http404("No such lesson")
    guidance.lesson_mark_read(reader=request.user, slug=slug)
    if request.htmx:
        row = next(r for r in guidance.lessons_for(request.user) if r.lesson.slug == slug)
        context = {"grant": grant, "row": row, "just_read": True}
        return render(request, "sharing/supporting_guidance.html#lesson", context)
    response = redirect("sharing:supporting", member_id)
    response["Location"] += f"#lesson-{slug}"
    return response


# --- Everyone's calendar --------------------------------------------------------


def _calendar_page(request: HttpRequest, *, token: str = "", status: int = 200) -> HttpResponse:
    feed = calendar_feed.feed_of(request.user)
    context = {"feed": feed, "form": CalendarSettingsForm(instance=feed)}
    if token:
        address = settings.SITE_URL + reverse("sharing:calendar-ics", args=[token])
        context.update(address=address, webcal="webcal://" + address.split("://", 1)[1])
    return render(request, "sharing/calendar.html", context, status=status)


@require_GET
@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request)


@require_POST
@login_required
def calendar_new(request: HttpRequest) -> HttpResponse:
    """A new address, shown once in this answer (not after a redirect: it would have to
    wait in the session). Any earlier address stops working."""
    token = calendar_feed.feed_token_create(owner=request.user)
    return _calendar_page(request, token=token)


@require_POST
@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = calendar_feed.feed_of(request.user)
    form = CalendarSettingsForm(request.POST, instance=feed)
    form.is_valid()  # one box: nothing to get wrong
    form.save()
    messages.success(
        request, gettext("Saved. Calendar apps pick this up the next time they check.")
    )
    return redirect("sharing:calendar")


@require_POST
@login_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    calendar_feed.feed_revoke(owner=request.user)
    messages.success(request, gettext("That calendar address no longer works."))
    return redirect("sharing:calendar")


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps: no sign-in, the token is the key."""
    feed = calendar_feed.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar")
    body = calendar_feed.feed_ics(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="recovery-support.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
