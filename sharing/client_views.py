"""What counselors and supporters see of the members who share with them. Every view
finds the grant first (404 without a live one) and records the read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import selectors as plan_selectors
from plans.models import Plan
from recovery_support import limits
from sharing import guidance, help_requests, notes, selectors, services
from sharing.forms import CommentForm, EncouragementForm, HandBackForm, ReplyForm, ReviewForm
from sharing.models import Comment, Grant, Role

# --- Counselors -----------------------------------------------------------------


@require_GET
@login_required
def clients(request: HttpRequest) -> HttpResponse:
    if not request.user.is_professional:
        raise Http404("Only counselor accounts have clients")
    counselor = request.user
    rows = selectors.clients_for(counselor, today=timezone.localdate())
    # Every client's figures order the list, those who may need the counselor first at
    # the top; a long list draws the first of them, and the rest on asking ("?all=1").
    # The clients drawn are the ones recorded as read.
    first, rest = rows[: selectors.FIRST_SCREEN], rows[selectors.FIRST_SCREEN :]
    more = rest if request.GET.get("all") == "1" else []
    if shown := first + more:
        # Every client shown is recorded as read, and their grants stamped (at most
        # once a minute): exactly the grants the rows were read from.
        grant_ids = [row.grant_id for row in shown]
        if services.access_record_clients(
            viewer=counselor, grant_ids=grant_ids, what=gettext_noop("client overview")
        ):
            services.grants_viewed(Grant.objects.filter(pk__any_of=grant_ids))
    context = {"rows": first, "more": more, "hidden": len(rest) - len(more)}
    return render(request, "sharing/clients.html", context)


def _client_page(
    request,
    grant,
    *,
    comment_form=None,
    review_form=None,
    reply_form=None,
    status=200,
    preview=False,
):
    """The client's page; every rendering of it is a read, and is recorded, but for
    the member's own preview of it (grant_preview), which records nothing."""
    if not preview:
        services.access_record(grant=grant, what=gettext_noop("network, plan and check-ins"))
    context = selectors.client_view(grant)
    context.update(
        grant=grant,
        comment_form=comment_form or CommentForm(items=context.get("comment_items")),
        review_form=review_form or ReviewForm(),
        reply_form=reply_form,
    )
    return _page(request, "sharing/client.html", context, preview=preview, status=status)


@require_GET
@login_required
def client(request: HttpRequest, member_id: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.COUNSELOR)
    return _client_page(request, grant)


def _client_plan(grant) -> Plan:
    plan = plan_selectors.plan_of(grant.member)
    if plan is None:
        raise Http404("No plan yet")
    return plan


def _comments(request, grant, plan, *, comment_form=None, reply_form=None, status=200):
    """The comments on the plan, alone (htmx): a read too, and recorded."""
    services.access_record(grant=grant, what=gettext_noop("comments on the plan"))
    items = selectors.comment_items_for(plan)
    context = {
        "grant": grant,
        "threads": notes.client_threads(plan, items),
        "comment_form": comment_form or CommentForm(items=items),
        "reply_form": reply_form,
        "plan": plan,
    }
    return render(request, "sharing/client.html#comments", context, status=status)


@require_POST
@login_required
def comment_add(request: HttpRequest, member_id: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.COUNSELOR)
    plan = _client_plan(grant)
    form = CommentForm(request.POST, items=selectors.comment_items_for(plan))
    if form.is_valid() and not limits.over_limit(request, "add_comment", form):
        services.comment_add(
            grant=grant, plan=plan, body=form.cleaned_data["body"], **form.cleaned_data["about"]
        )
        if not request.htmx:
            messages.success(
                request, gettext("Your comment is saved. They will see it on their plan.")
            )
            return redirect("sharing:client", member_id)
        form = None
    status = limits.status_for(form) if form else 200
    if request.htmx:
        return _comments(request, grant, plan, comment_form=form, status=status)
    return _client_page(request, grant, comment_form=form, status=status)


@require_POST
@login_required
def comment_reply(request: HttpRequest, member_id: int, pk: int) -> HttpResponse:
    """A counselor's reply beneath a comment on their client's plan."""
    grant = selectors.grant_for(request.user, member_id, Role.COUNSELOR)
    plan = _client_plan(grant)
    parent = get_object_or_404(Comment.objects.select_related("plan"), pk=pk, plan=plan)
    root_id = parent.parent_id or parent.pk
    form = ReplyForm(request.POST, auto_id=f"reply{root_id}_%s")
    if form.is_valid() and notes.thread_is_full(parent):
        form.add_error(
            None, gettext("This conversation is long enough: start a new comment instead.")
        )
    if form.is_valid() and not limits.over_limit(request, "add_comment", form):
        services.comment_reply(parent=parent, author=request.user, body=form.cleaned_data["body"])
        if not request.htmx:
            messages.success(
                request, gettext("Your reply is saved. They will see it on their plan.")
            )
            return redirect("sharing:client", member_id)
        form = None
    status = limits.status_for(form) if form else 200
    reply_form = form and (root_id, form)
    if request.htmx:
        return _comments(request, grant, plan, reply_form=reply_form, status=status)
    return _client_page(request, grant, reply_form=reply_form, status=status)


@require_POST
@login_required
def review(request: HttpRequest, member_id: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.COUNSELOR)
    plan = _client_plan(grant)
    empty_draft = selectors.is_empty_draft(plan, selectors.visible_plan(plan))
    form = ReviewForm(request.POST, empty_draft=empty_draft)
    if not form.is_valid():
        return _client_page(request, grant, review_form=form, status=422)
    saved = services.review_save(grant=grant, plan=plan, **form.cleaned_data)
    if saved.status == saved.Status.CHANGES:
        messages.success(request, gettext("Saved: changes asked for. They will see it."))
    else:
        messages.success(request, gettext("Saved: reviewed. They will see it."))
    return redirect("sharing:client", member_id)


# --- Supporters -----------------------------------------------------------------


def _supporting_page(
    request, grant, *, form=None, hand_back_form=None, hand_back_pk=None, status=200, preview=False
):
    """The supporter's page of one member: a read, recorded, but for the member's own
    preview of it (grant_preview), which records nothing."""
    agreement = guidance.agreement_for(grant)
    # Stored in English (gettext_noop), read in the member's language: whole phrases.
    what = {
        (True, False): gettext_noop("shared goals"),
        (False, False): gettext_noop("their page"),
        (True, True): gettext_noop("shared goals, and what your plan asks of them"),
        (False, True): gettext_noop("their page, and what your plan asks of them"),
    }[bool(grant.show_plan), bool(agreement)]
    if not preview:
        services.access_record(grant=grant, what=what)
    context = selectors.supporter_view(grant)
    context.update(grant=grant, form=form or EncouragementForm())
    context.update(
        help=help_requests.help_for_supporter(grant),
        hand_back_form=hand_back_form or HandBackForm(),
        hand_back_pk=hand_back_pk,
        # Which lessons they read is theirs alone: a preview shows none read.
        lessons=guidance.lessons_for(None if preview else request.user),
        lesson_sources=guidance.SOURCES,
        agreement=agreement,
    )
    return _page(request, "sharing/supporting.html", context, preview=preview, status=status)


@require_GET
@login_required
def supporting(request: HttpRequest, member_id: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.SUPPORTER)
    return _supporting_page(request, grant)


@require_POST
@login_required
def encourage(request: HttpRequest, member_id: int) -> HttpResponse:
    grant = selectors.grant_for(request.user, member_id, Role.SUPPORTER)
    form = EncouragementForm(request.POST)
    if form.is_valid() and not limits.over_limit(request, "send_encouragement", form):
        services.encouragement_send(grant=grant, body=form.cleaned_data["body"])
        if not request.htmx:
            messages.success(
                request,
                gettext("Sent. %(name)s will see it on their dashboard.") % {"name": grant.member},
            )
            return redirect("sharing:supporting", member_id)
        form = EncouragementForm()
    status = limits.status_for(form)
    if request.htmx:
        context = {"grant": grant, "form": form, "sent": list(grant.encouragements.all()[:10])}
        context["just_sent"] = status == 200
        return render(request, "sharing/supporting.html#encourage", context, status=status)
    return _supporting_page(request, grant, form=form, status=status)


@require_GET
@login_required
def supporting_list(request: HttpRequest) -> HttpResponse:
    """People you support: the home of someone who supports others and keeps no
    recovery space of their own. Only their names: nothing of theirs is read here."""
    grants = selectors.grants_held(request.user, role=Role.SUPPORTER)
    return render(request, "sharing/supporting_list.html", {"grants": grants})


# --- Stepping back ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def stop(request: HttpRequest, member_id: int, role: str) -> HttpResponse:
    """A counselor or supporter ends their own access, after saying so twice."""
    grant = selectors.grant_for(request.user, member_id, role)
    if request.method == "GET":
        return render(request, "sharing/stop.html", {"grant": grant})
    services.grant_leave(grant=grant)
    messages.success(
        request,
        gettext("You have stopped supporting %(name)s. We have let them know, kindly.")
        % {"name": grant.member},
    )
    return redirect("dashboard")


# --- What they see: the member's preview -------------------------------------------


def _page(request, template: str, context: dict, *, preview: bool, status: int) -> HttpResponse:
    """A counselor's or supporter's page, or, for the member, that same page inside
    their preview (sharing/preview.html draws the page's content with the grantee as
    `user`, every button disabled)."""
    if preview:
        context["page_template"] = template
        template = "sharing/preview.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def grant_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's "See what they see": the page this person with access gets, drawn
    by the code that draws it for them, from their grant. Only the member's own live
    grants (404 otherwise); nothing goes in the access log, nothing can be sent from it."""
    grant = get_object_or_404(
        Grant.objects.active().select_related("member", "grantee"), pk=pk, member=request.user
    )
    if grant.is_counselor:
        return _client_page(request, grant, preview=True)
    return _supporting_page(request, grant, preview=True)
