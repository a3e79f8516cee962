"""The four-step plan: one page a step, items edited in place with HTMX, each also
working as a plain form post."""

import copy
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import retarget

from networks import selectors as network_selectors
from networks import services as network_services
from networks.gaps import find_gaps
from networks.models import COMMUNITY_CATEGORIES
from plans import messages as drafts
from plans import selectors, services
from plans.forms import (
    ActivityForm,
    AskForm,
    ChooseSourcesForm,
    ContactCadenceForm,
    ExpectationForm,
    FirstDayForm,
    GoalForm,
    QuickSourceForm,
    RelapseItemForm,
)
from plans.models import Activity, Goal, Outcome, Plan, RelapseItem
from recovery_support.crisis_lines import crisis_lines_for
from recovery_support.htmx import render_partials

# The items of step 4: URL name -> model, form, and the prefix of its form's element ids.
ITEMS = {
    "activities": (Activity, ActivityForm, "activity"),
    "relapse": (RelapseItem, RelapseItemForm, "relapse"),
    "goals": (Goal, GoalForm, "goal"),
}


def _step_context(plan: Plan, step: int) -> dict:
    sources = selectors.plan_sources(plan)
    return {
        "plan": plan,
        "step": step,
        "plan_sources": sources,
        # Counted when first drawn: step 4 counts from its own lists instead.
        "steps": SimpleLazyObject(
            lambda: selectors.steps(plan, sources, **selectors.item_counts(plan))
        ),
    }


@require_GET
@login_required
def plan_home(request: HttpRequest) -> HttpResponse:
    """An active plan opens on its overview; a draft on the next step to take."""
    plan = services.plan_start(owner=request.user)
    context = _step_context(plan, 0)
    if plan.is_active:
        context["comments"] = []
        return render(request, "plans/overview.html", context)
    return redirect("plans:step", step=context["steps"].next_step or 4)


# --- Step 1: identify potential support sources ---------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def step(request: HttpRequest, step: int) -> HttpResponse:
    if step not in (1, 2, 3, 4):
        raise Http404
    if request.method == "POST":
        if step != 1:
            raise Http404
        return _choose_sources(request, services.plan_start(owner=request.user))
    adding = _adding(request) if step == 4 else None
    fragment = _opened_form(request, step)
    if fragment is not None:
        return fragment
    if adding and request.htmx and request.htmx.target == f"add-{adding}":
        # A folded add form's link, with htmx: only the form (nothing of the plan read).
        context = {
            "kind": adding,
            "adding": adding,
            "form": _item_form(request, adding, focus=True),
        }
        return render(request, "plans/step4.html#item-form", context)
    plan = services.plan_start(owner=request.user)
    context = _page_context(request, plan, step, comments=selectors.step_comments(plan, step))
    return render(request, f"plans/step{step}.html", context)


# A folded form opened with htmx: the URL parameter naming it, and its element's id.
OPENED = {
    2: ("edit", "ask-{}-form"),
    3: ("edit", "expectation-{}-form"),
    4: ("cadence", "cadence-{}"),
}


def _opened_form(request: HttpRequest, step: int) -> HttpResponse | None:
    """A folded card's or planned contact's form, opened with htmx (?edit=<pk> in
    steps 2 and 3, ?cadence=<pk> in step 4): only that form; else None."""
    param, target = OPENED.get(step, (None, None))
    opened = _opened(request, param) if param else None
    if not (opened and request.htmx and request.htmx.target == target.format(opened)):
        return None
    if step == 2:
        card = _ask_card(request, selectors.plan_source_for(request.user, opened))
        return render(request, "plans/step2.html#ask-form", {"ask": card})
    plan_source = _agreed_source_for(request.user, opened)
    if step == 3:
        context = {"plan_source": plan_source, "form": _expectation_form(request, plan_source)}
        return render(request, "plans/step3.html#expectation-form", context)
    context = {"plan_source": plan_source, "form": _cadence_form(plan_source, focus=True)}
    return render(request, "plans/step4.html#cadence", context)


def _agreed_source_for(user, pk: int):
    """One of the member's own plan people who agreed (steps 3 and 4), or 404."""
    plan_source = selectors.plan_source_for(user, pk)
    if plan_source.outcome != Outcome.AGREED:
        raise Http404
    return plan_source


def _page_context(request: HttpRequest, plan: Plan, step: int, **extra) -> dict:
    context = _step_context(plan, step)
    sources = context["plan_sources"]
    if step == 1:
        network = network_selectors.network_for(request.user)
        context.update(
            network_sources=network.sources,
            chosen={ps.source_id for ps in sources},
            gaps=find_gaps(network.sources, network.today),
            quick_form=QuickSourceForm(auto_id="quick_%s"),
        )
    elif step == 2:
        context["asks"] = [_ask_card(request, ps) for ps in sources]
        context["draft_words"] = drafts.draft_words()
    elif step == 3:
        context.update(
            agreed=[(ps, _expectation_form(request, ps)) for ps in selectors.agreed(sources)],
            warnings=selectors.expectation_warnings(sources),
        )
    elif step == 4:
        context.update(_step4_context(request, plan, sources))
        context["steps"] = SimpleLazyObject(
            lambda: selectors.steps(
                plan,
                sources,
                **{kind: len(context[kind]) for kind in ("activities", "relapse_items", "goals")},
            )
        )
    context.update(extra)
    return context


def _choose_sources(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = ChooseSourcesForm(request.POST, owner=request.user)
    if form.is_valid() and not form.cleaned_data["sources"]:
        form.add_error("sources", gettext("Choose at least one person or group to carry on."))
    if not form.is_valid():
        context = _page_context(request, plan, 1, choose_errors=form.errors)
        return render(request, "plans/step1.html", context, status=422)
    services.plan_choose_sources(
        plan=plan, sources=list(form.cleaned_data["sources"]), author=request.user
    )
    return redirect("plans:step", step=2)


@require_POST
@login_required
def add_source(request: HttpRequest) -> HttpResponse:
    """Step 1: add someone to the network, and to the plan, without leaving the step."""
    plan = services.plan_start(owner=request.user)
    form = QuickSourceForm(request.POST, auto_id="quick_%s")
    if not form.is_valid():
        if request.htmx:
            context = _page_context(request, plan, 1, quick_form=form)
            return render_partials(request, "plans/step1.html", ["quick-add"], context, status=422)
        return render(
            request,
            "plans/step1.html",
            _page_context(request, plan, 1, quick_form=form),
            status=422,
        )
    source = network_services.source_create(owner=request.user, data=form.cleaned_data)
    services.plan_source_add(plan=plan, source=source, author=request.user)
    text = gettext("Added %(name)s to your network and your plan.") % {"name": source.name}
    if not request.htmx:
        messages.success(request, text)
        return redirect("plans:step", step=1)
    context = _page_context(request, plan, 1, oob_choose=True, status_text=text)
    # Keep the boxes the member ticked but has not saved yet (sent by hx-include).
    ticked = ChooseSourcesForm(request.POST, owner=request.user)
    if ticked.is_valid():
        context["chosen"] |= {s.pk for s in ticked.cleaned_data["sources"]}
    return render_partials(
        request, "plans/step1.html", ["choose-sources", "quick-add", "status"], context
    )


def _autosave(request: HttpRequest) -> bool:
    """A card saved as the member goes (static/js/app.js, on change): the answer is
    its state alone, out of band, so what they are typing is never redrawn."""
    return bool(request.htmx) and request.headers.get("X-Autosave") == "true"


# --- Step 2: communicate with them ---------------------------------------------


def _ask_card(request: HttpRequest, plan_source, form: AskForm | None = None) -> dict:
    """One person's card. It is drawn open, with its form and drafted message, when
    there are mistakes to fix, when nothing is asked yet, or when the member opened
    it (?edit=<pk>#ask-<pk>, its link); folded, it says where the ask stands, and
    opening it fetches the form (plans.views.step). A form each was most of step 2's time."""
    opened = _opened(request, "edit") == plan_source.pk
    if form is None and plan_source.outcome != Outcome.NOT_ASKED and not opened:
        return {"plan_source": plan_source, "form": None}
    form = form or AskForm(instance=plan_source, auto_id=f"ask{plan_source.pk}_%s")
    body = drafts.draft_message(plan_source, sender=request.user.display_name)
    source = plan_source.source
    return {
        "plan_source": plan_source,
        "greeting": drafts.greeting(source),
        "group": source.category in COMMUNITY_CATEGORIES,
        "sender": request.user.display_name,
        "form": form,
        "message": body,
        "mailto": drafts.mailto_link(source.email, body) if source.email else "",
        "sms": drafts.sms_link(source.phone, body) if source.phone else "",
    }


@require_POST
@login_required
def ask_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan_source = selectors.plan_source_for(request.user, pk)
    # Validate a copy, so a 422 card never shows values that were not saved.
    form = AskForm(request.POST, instance=copy.copy(plan_source), auto_id=f"ask{pk}_%s")
    if not form.is_valid():
        card = _ask_card(request, plan_source, form)
        if request.htmx:
            context = {"ask": card, "card_oob": _autosave(request)}
            return render_partials(request, "plans/step2.html", ["ask-card"], context, 422)
        context = _page_context(request, plan_source.plan, 2)
        context["asks"] = [card if a["plan_source"].pk == pk else a for a in context["asks"]]
        return render(request, "plans/step2.html", context, status=422)
    plan_source = services.plan_item_save(plan=plan_source.plan, form=form, author=request.user)
    text = gettext("Saved your ask to %(name)s.") % {"name": plan_source.source.name}
    if not request.htmx:
        messages.success(request, text)
        return redirect("plans:step", step=2)
    context = {"ask": _ask_card(request, plan_source), "status_text": text}
    if _autosave(request):
        context.update(plan_source=plan_source, state_oob=True)
        return render_partials(request, "plans/step2.html", ["ask-state", "status"], context)
    return render_partials(request, "plans/step2.html", ["ask-card", "status"], context)


# --- Step 3: set realistic expectations ----------------------------------------


def _expectation_form(request: HttpRequest, plan_source) -> ExpectationForm | None:
    """A card of step 3 is drawn open, with its form, while nothing is written of what
    the person can give, or when the member opened it (?edit=<pk>#expectation-<pk>);
    folded, it says what they give, and opening it fetches the form (as step 2's)."""
    if plan_source.can_give.strip() and _opened(request, "edit") != plan_source.pk:
        return None
    return ExpectationForm(instance=plan_source, auto_id=f"exp{plan_source.pk}_%s")


@require_POST
@login_required
def expectations_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan_source = _agreed_source_for(request.user, pk)
    form = ExpectationForm(request.POST, instance=copy.copy(plan_source), auto_id=f"exp{pk}_%s")
    if form.is_valid():
        plan_source = services.plan_expectations_save(
            plan_source=plan_source, form=form, author=request.user
        )
        status, text = (
            200,
            gettext("Saved what %(name)s can give.") % {"name": plan_source.source.name},
        )
    else:
        status, text = 422, None
    if not request.htmx:
        if status == 200:
            messages.success(request, text)
            return redirect("plans:step", step=3)
        plan = plan_source.plan
        context = _page_context(request, plan, 3)
        context["agreed"] = [(ps, form if ps.pk == pk else f) for ps, f in context["agreed"]]
        return render(request, "plans/step3.html", context, status=422)
    context = {
        # A card saved with its button folds once it says what they give.
        "item": (plan_source, form if status == 422 else _expectation_form(request, plan_source)),
        "plan_source": plan_source,
        "oob": True,
        "state_oob": True,
        "status_text": text,
        "warnings": selectors.expectation_warnings(selectors.plan_sources(plan_source.plan)),
    }
    if _autosave(request) and status == 200:
        names = ["expectation-state", "warnings", "status"]
    else:
        # Saved as they went with a mistake: the card, out of band, with the error
        # beside the answer and what they typed.
        context.update(state_oob=False, card_oob=_autosave(request))
        names = ["expectation-card", "warnings"] + (["status"] if text else [])
    return render_partials(request, "plans/step3.html", names, context, status=status)


# --- Step 4: create the support plan -------------------------------------------


def _plan_items(plan: Plan) -> dict:
    """The plan's three lists, each read when first drawn (a section redrawn alone
    reads only its own)."""
    return {
        "activities": SimpleLazyObject(lambda: selectors.activities_of(plan)),
        "relapse_items": SimpleLazyObject(lambda: selectors.relapse_items_of(plan)),
        "goals": SimpleLazyObject(lambda: selectors.goals_of(plan)),
    }


def _adding(request: HttpRequest) -> str | None:
    """The list whose folded add form the person opened (?add=goals), if any."""
    kind = request.GET.get("add")
    return kind if kind in ITEMS else None


def _new_item_form(request: HttpRequest, kind: str, forms: dict, adding: str | None):
    """A list's add form: the one sent back with its mistakes, or a blank one built
    when first drawn (a folded form is drawn only when opened, and then focused)."""
    if kind in forms:
        return forms[kind]
    return SimpleLazyObject(lambda: _item_form(request, kind, focus=kind == adding))


def _step4_context(request: HttpRequest, plan: Plan, sources, **forms) -> dict:
    """Everything is read or built when first drawn, not before: a section redrawn
    alone (htmx) reads and builds only its own."""
    items = _plan_items(plan)
    # A list's add form is drawn open when its list is empty, when it comes back with
    # mistakes, or when the person opened it (?add=<kind>, the link of a folded one).
    adding = next((kind for kind in ITEMS if kind in forms), None) or _adding(request)
    return {
        **items,
        "meeting_offers": SimpleLazyObject(
            lambda: selectors.meeting_offers(sources, items["activities"])
        ),
        "cadences": SimpleLazyObject(lambda: _cadences(request, sources, forms.get("cadence"))),
        "adding": adding,
        "activity_form": _new_item_form(request, "activities", forms, adding),
        "relapse_form": _new_item_form(request, "relapse", forms, adding),
        "goal_form": _new_item_form(request, "goals", forms, adding),
        "first_day_form": forms.get("first_day")
        or SimpleLazyObject(lambda: FirstDayForm(instance=plan)),
    }


def _cadences(request, sources, invalid: ContactCadenceForm | None) -> list[tuple]:
    """Each agreed person, with a form for how often to be in touch where one is
    drawn: for a person with nothing planned yet, the one sent back with mistakes,
    and the one opened (?cadence=<pk>, the link of a planned one, then focused).
    A planned one is said in words instead (a form each was most of step 4's time)."""
    opened = _opened(request, "cadence")
    rows = []
    for plan_source in selectors.agreed(sources):
        if invalid is not None and invalid.instance.pk == plan_source.source_id:
            form = invalid
        elif plan_source.source.contact_every_days is None or opened == plan_source.pk:
            form = _cadence_form(plan_source, focus=opened == plan_source.pk)
        else:
            form = None
        rows.append((plan_source, form))
    return rows


def _opened(request: HttpRequest, param: str) -> int | None:
    """The plan source whose folded form the member opened (?edit=<pk> in step 2,
    ?cadence=<pk> in step 4)."""
    opened = request.GET.get(param, "")
    return int(opened) if opened.isascii() and opened.isdigit() and len(opened) < 12 else None


def _cadence_form(plan_source, *, focus: bool = False) -> ContactCadenceForm:
    form = ContactCadenceForm(instance=plan_source.source, auto_id=f"cad{plan_source.pk}_%s")
    if focus:  # opened by its link: the person goes on to choose
        form.fields["contact_every_days"].widget.attrs["autofocus"] = True
    return form


def _item_form(request, kind: str, data=None, instance=None, *, focus: bool = False):
    _, form_class, prefix = ITEMS[kind]
    auto_id = f"{prefix}{instance.pk}_%s" if instance else f"{prefix}_%s"
    kwargs = {"owner": request.user} if kind == "relapse" else {}
    form = form_class(data, instance=instance, auto_id=auto_id, **kwargs)
    if focus:  # opened by its link: the person goes on to fill it in
        next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    return form


def _section(
    request: HttpRequest,
    plan: Plan,
    kind: str,
    status: int = 200,
    status_text: str | None = None,
    **forms,
) -> HttpResponse:
    if not request.htmx:
        if status == 200:
            messages.success(request, status_text or gettext("Saved."))
            return redirect(f"{reverse('plans:step', args=[4])}#section-{kind}")
        context = _step_context(plan, 4)
        context.update(_step4_context(request, plan, context["plan_sources"], **forms))
        return render(request, "plans/step4.html", context, status=status)
    sources = selectors.plan_sources(plan) if kind == "contacts" else []
    context = {
        "plan": plan,
        "status_text": status_text,
        "oob": True,
        **_step4_context(request, plan, sources, **forms),
    }
    names = [f"section-{kind}"] + (["status"] if status_text else [])
    if status == 200 and not plan.is_active:
        # The "Ready?" box follows what was just saved (out of band).
        sources = sources or selectors.plan_sources(plan)
        context.update(
            steps=selectors.steps(plan, sources, **selectors.item_counts(plan)), ready_oob=True
        )
        names.append("ready")
    return render_partials(request, "plans/step4.html", names, context, status=status)


@require_POST
@login_required
def item_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ITEMS:
        raise Http404
    plan = services.plan_start(owner=request.user)
    form = _item_form(request, kind, request.POST)
    if not form.is_valid():
        return _section(request, plan, kind, status=422, **{kind: form})
    item = services.plan_item_save(plan=plan, form=form, author=request.user)
    return _section(request, plan, kind, status_text=gettext("Added “%(item)s”.") % {"item": item})


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ITEMS:
        raise Http404
    model, _, _ = ITEMS[kind]
    item = selectors.item_for(request.user, model, pk)
    data = request.POST if request.method == "POST" else None
    form = _item_form(request, kind, data, copy.copy(item))  # a 422 shows no unsaved values
    if request.method == "POST" and form.is_valid():
        services.plan_item_save(plan=item.plan, form=form, author=request.user)
        response = _section(
            request,
            item.plan,
            kind,
            status_text=gettext("Saved “%(item)s”.") % {"item": form.instance},
        )
        return retarget(response, f"#section-{kind}") if request.htmx else response
    status = 422 if request.method == "POST" else 200
    context = {
        "kind": kind,
        "item": item,
        "form": form,
        "plan": item.plan,
        "standalone": not request.htmx,
    }
    if request.htmx:
        return render_partials(request, "plans/step4.html", ["item-edit"], context, status=status)
    return render(request, "plans/item_edit.html", context, status=status)


@require_POST
@login_required
def item_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ITEMS:
        raise Http404
    model, _, _ = ITEMS[kind]
    item = selectors.item_for(request.user, model, pk)
    services.plan_item_delete(plan=item.plan, item=item, author=request.user)
    return _section(
        request, item.plan, kind, status_text=gettext("Removed “%(item)s”.") % {"item": item}
    )


@require_POST
@login_required
def cadence_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan_source = _agreed_source_for(request.user, pk)
    form = ContactCadenceForm(
        request.POST, instance=copy.copy(plan_source.source), auto_id=f"cad{pk}_%s"
    )
    if form.is_valid():
        services.plan_item_save(plan=plan_source.plan, form=form, author=request.user)
        return _section(
            request,
            plan_source.plan,
            "contacts",
            status_text=gettext("Saved how often you'll be in touch with %(name)s.")
            % {"name": plan_source.source.name},
        )
    return _section(request, plan_source.plan, "contacts", status=422, cadence=form)


@require_POST
@login_required
def first_day_save(request: HttpRequest) -> HttpResponse:
    plan = services.plan_start(owner=request.user)
    form = FirstDayForm(request.POST, instance=plan)
    if not form.is_valid():
        return _section(request, plan, "first-day", status=422, first_day=form)
    services.plan_item_save(plan=plan, form=form, author=request.user)
    return _section(request, plan, "first-day", status_text=gettext("Saved your first-day plan."))


@require_POST
@login_required
def activate(request: HttpRequest) -> HttpResponse:
    plan = services.plan_start(owner=request.user)
    if not plan.is_active and not _step_context(plan, 4)["steps"].can_activate:
        messages.error(request, gettext("Nobody you can reach in a crisis is in your plan yet."))
        return redirect(f"{reverse('plans:step', args=[4])}#activate-heading")
    if not plan.is_active:
        services.plan_activate(plan=plan, author=request.user)
        messages.success(
            request, gettext("Your plan is active. You can change it whenever you need.")
        )
    return redirect("plans:print")


# --- Reading the whole plan ------------------------------------------------------


@require_GET
@login_required
def print_view(request: HttpRequest) -> HttpResponse:
    plan = services.plan_start(owner=request.user)
    context = {
        "plan": plan,
        "plan_sources": selectors.agreed(selectors.plan_sources(plan)),
        "crisis_contacts": network_selectors.crisis_contacts_for(request.user),
        "crisis_lines": crisis_lines_for(request.user),
        **_plan_items(plan),
    }
    return render(request, "plans/print.html", context)


@require_GET
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    plan = services.plan_start(owner=request.user)
    since = _since(request)
    changes = selectors.plan_changes(plan)
    revisions = list(changes.filter(created_at__date__gte=since))
    return render(
        request, "plans/changes.html", {"plan": plan, "revisions": revisions, "since": since}
    )


def _since(request: HttpRequest) -> date:
    """?since=YYYY-MM-DD; anything else means the last 30 days."""
    try:
        since = parse_date(request.GET.get("since", ""))
    except ValueError:
        since = None
    return since or (timezone.localdate() - timedelta(days=30))
