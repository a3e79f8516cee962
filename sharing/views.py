"""The member's side of sharing (who has access, invitations, the access log, answers
to comments) and the invitee's side of an invitation."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from networks.models import SupportSource
from recovery_support import limits
from recovery_support.languages import remember_language
from sharing import invited, notes, selectors, services
from sharing.forms import (
    GrantSettingsForm,
    InvitationForm,
    MarkReadForm,
    MessageReplyForm,
    ReplyForm,
)
from sharing.models import Comment, Encouragement, Grant, Invitation, active_grant
from sharing.services import InvitationError


def _sharing_page(
    request: HttpRequest, *, invite_form=None, settings_form=None, status: int = 200
) -> HttpResponse:
    """The sharing page, with the form that failed (if any) showing what was typed."""
    context = selectors.sharing_for(request.user)
    sources = _network(request)  # read once, by the first supporter's form, if any
    context["grant_forms"] = [
        (
            grant,
            settings_form
            if settings_form and settings_form.instance.pk == grant.pk
            else GrantSettingsForm(instance=grant, auto_id=f"grant{grant.pk}_%s", sources=sources),
        )
        for grant in context["grants"]
    ]
    context["invite_form"] = invite_form or InvitationForm(member=request.user)
    return render(request, "sharing/sharing.html", context, status=status)


def _network(request: HttpRequest):
    """The member's sources, for "who they are in my network": a queryset, so the
    first form to list them reads them and the others reuse its rows."""
    return SupportSource.objects.filter(owner=request.user, deleted_at__isnull=True).only(
        "pk", "name"
    )


@require_GET
@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    return _sharing_page(request)


@require_POST
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST, member=request.user)
    if not form.is_valid() or limits.over_limit(request, "send_invitation", form):
        return _sharing_page(request, invite_form=form, status=limits.status_for(form))
    invitation = services.invitation_create(member=request.user, **form.cleaned_data)
    messages.success(
        request,
        gettext("Invitation sent to %(email)s. It works for 7 days.") % {"email": invitation.email},
    )
    return redirect("sharing:sharing")


@require_POST
@login_required
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, member=request.user)
    services.invitation_cancel(invitation=invitation)
    messages.success(
        request,
        gettext("The invitation to %(email)s is cancelled.") % {"email": invitation.email},
    )
    return redirect("sharing:sharing")


def _own_grant(request: HttpRequest, pk: int) -> Grant:
    return get_object_or_404(
        Grant.objects.select_related("grantee"), pk=pk, member=request.user, revoked_at=None
    )


@require_POST
@login_required
def grant_settings(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _own_grant(request, pk)
    form = GrantSettingsForm(
        request.POST, instance=grant, auto_id=f"grant{grant.pk}_%s", sources=_network(request)
    )
    if not form.is_valid():
        return _sharing_page(request, settings_form=form, status=422)
    services.grant_settings_save(form=form)
    messages.success(request, gettext("Saved what %(name)s may see.") % {"name": grant.grantee})
    return redirect("sharing:sharing")


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _own_grant(request, pk)
    services.grant_revoke(grant=grant)
    messages.success(
        request,
        gettext("%(name)s no longer has access. This took effect at once.")
        % {"name": grant.grantee},
    )
    return redirect("sharing:sharing")


MAX_LOG_PAGE = 1_000_000  # far past any log, and an offset PostgreSQL can take


@require_POST
@login_required
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The member answers a supporter's message ("Thank you", or a few words), from
    their dashboard; only a message they can see there (a live grant, not hidden)."""
    message = get_object_or_404(
        Encouragement.objects.filter(
            active_grant("grant__"), grant__hide_messages=False
        ).select_related("grant__grantee"),
        pk=pk,
        grant__member=request.user,
    )
    form = MessageReplyForm(request.POST, instance=message)
    if form.is_valid() and not limits.over_limit(request, "reply_to_message", form):
        services.encouragement_reply(encouragement=message, reply=form.cleaned_data["reply"])
        if not request.htmx:
            messages.success(
                request,
                gettext("Sent. %(name)s will see your reply.") % {"name": message.grant.grantee},
            )
            return redirect("dashboard")
        form = None
    context = {"message": message, "reply_form": form}
    status = limits.status_for(form) if form else 200
    if request.htmx:
        return render(request, "recovery_support/dashboard.html#message", context, status=status)
    return render(request, "sharing/message_reply.html", context, status=status)


@require_GET
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Fifty records a page, newest first; a page past the last is not found."""
    number = request.GET.get("page", "1")
    if not number.isdecimal() or not 1 <= int(number) <= MAX_LOG_PAGE:
        raise Http404("No such page")
    page = selectors.access_log_for(request.user, page=int(number))
    if not page.records and page.has_newer:
        raise Http404("No such page")
    return render(request, "sharing/access_log.html", {"page": page, "records": page.records})


# --- Notes from counselors -------------------------------------------------------


def _notes_page(
    request: HttpRequest, *, reply_form=None, mark_form=None, status: int = 200
) -> HttpResponse:
    context = notes.notes_for(request.user)
    context.update(
        unread=notes.unread_for(request.user), reply_form=reply_form, mark_form=mark_form
    )
    return render(request, "sharing/notes.html", context, status=status)


@require_GET
@login_required
def notes_page(request: HttpRequest) -> HttpResponse:
    """Every review and thread on the member's plan, what is new marked so (marked
    read only when they say so: "Mark as read", or replying to the thread)."""
    return _notes_page(request)


@require_POST
@login_required
def notes_read(request: HttpRequest) -> HttpResponse:
    """The member's "Mark as read", from the dashboard's card or the notes page: the
    notes that were shown, by id, so one that came in meanwhile stays new."""
    form = MarkReadForm(request.POST, member=request.user)
    if not form.is_valid():
        return _notes_page(request, mark_form=form, status=422)
    services.notes_mark_read(
        member=request.user,
        reviews=form.cleaned_data["review"],
        comments=form.cleaned_data["comment"],
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("dashboard")
    return redirect(back)


@require_POST
@login_required
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's reply beneath a comment on their plan (which marks the thread
    read: they read it to answer)."""
    comment = get_object_or_404(
        Comment.objects.select_related("plan"), pk=pk, plan__owner=request.user
    )
    root_id = comment.parent_id or comment.pk
    form = ReplyForm(request.POST, auto_id=f"answer{root_id}_%s")
    if form.is_valid() and notes.thread_is_full(comment):
        form.add_error(
            None, gettext("This conversation is long enough. Your counselor can start a new one.")
        )
    if form.is_valid():
        services.comment_reply(parent=comment, author=request.user, body=form.cleaned_data["body"])
        if not request.htmx:
            messages.success(request, gettext("Your answer is saved. Your counselor will see it."))
            return redirect(f"{reverse('sharing:notes')}#thread-{root_id}")
        form = None
    status = 200 if form is None else 422
    if request.htmx:
        [thread] = notes.threads_of(request.user, root_id)
        context = {"thread": thread, "reply_form": form and (root_id, form)}
        return render(request, "sharing/comments.html#member-thread", context, status=status)
    return _notes_page(request, reply_form=(root_id, form), status=status)


# --- Invitations, as the invited person sees them --------------------------------

REFUSALS = {
    "missing": (
        _("This invitation link doesn't work"),
        _(
            "The link may be incomplete. Please check you copied all of it, "
            "or ask for a new invitation."
        ),
        404,
    ),
    "used": (
        _("This invitation has already been used"),
        _(
            "Each invitation link works once. If you accepted it, you already have access: "
            "you'll find it on your dashboard."
        ),
        410,
    ),
    "declined": (
        _("This invitation was declined"),
        _("It can't be used any more. If that was a mistake, ask for a new invitation."),
        410,
    ),
    "revoked": (
        _("This invitation was cancelled"),
        _("The person who sent it cancelled it. Nothing is shared."),
        410,
    ),
    "expired": (
        _("This invitation has expired"),
        _("Invitations work for 7 days. Please ask for a new one."),
        410,
    ),
    "own": (
        _("This is your own invitation"),
        _("You sent this invitation. The person you invited needs to open it."),
        403,
    ),
    "wrong-account": (
        _("This invitation is for another email address"),
        _(
            "You are signed in with a different address from the one the invitation was "
            "sent to. Sign out, then sign in or create an account with the invited address."
        ),
        403,
    ),
}


def _refusal(request: HttpRequest, reason: str) -> HttpResponse:
    title, text, status = REFUSALS[reason]
    request.session[invited.REFUSED_KEY] = True  # no more "waiting for your answer"
    return render(
        request,
        "sharing/invitation.html",
        {"refusal": title, "refusal_text": text, "reason": reason},
        status=status,
    )


@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """Trade the link's token for the invitation in the session, then move the browser
    to an address without the token (so it leaves no trace in history or logs)."""
    invitation = Invitation.objects.filter(token_hash=services.token_hash(token)).first()
    if invitation is None:
        return _refusal(request, "missing")
    request.session[invited.SESSION_KEY] = invitation.pk
    request.session.pop(invited.REFUSED_KEY, None)
    return redirect("sharing:invitation")


@require_GET
def invitation(request: HttpRequest) -> HttpResponse:
    """Who invites them, and plainly what they would see. Someone not signed in yet
    finds the sign-up form filled in with the invited address (allauth's stash)."""
    try:
        invitation = services.invitation_check(invited.held(request), request.user)
    except InvitationError as error:
        return _refusal(request, error.reason)
    chosen = None
    if not request.user.is_authenticated:
        get_adapter(request).stash_verified_email(request, invitation.email)
        # Someone with no account yet, who has not chosen a language here: the one the
        # member chose for them, remembered (a cookie) for the sign-up that follows.
        if invitation.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            chosen = invitation.language
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
    # What a grant from this invitation starts with: the member's choices, all off.
    starts_as = Grant(member=invitation.member, role=invitation.role)
    response = render(
        request, "sharing/invitation.html", {"invitation": invitation, "starts_as": starts_as}
    )
    return remember_language(response, chosen) if chosen else response


@require_http_methods(["POST"])
@login_required
def invitation_answer(request: HttpRequest, answer: str) -> HttpResponse:
    invitation = invited.held(request)
    try:
        if answer == "accept":
            grant = services.invitation_accept(
                invitation_id=invitation and invitation.pk, user=request.user
            )
        else:
            services.invitation_decline(
                invitation_id=invitation and invitation.pk, user=request.user
            )
    except InvitationError as error:
        return _refusal(request, error.reason)
    request.session.pop(invited.SESSION_KEY, None)
    if answer != "accept":
        messages.info(request, gettext("You declined the invitation. Nothing is shared with you."))
        return redirect("dashboard")
    if grant.is_counselor:
        accepted = gettext("You now have access as %(name)s's counselor.")
    else:
        accepted = gettext("You now have access as %(name)s's supporter.")
    messages.success(request, accepted % {"name": grant.member})
    return redirect("dashboard")  # their home, whichever it is
