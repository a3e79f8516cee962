"""The network page: the list edited in place, the ecomap and the gaps.

Every write answers an HTMX request with the changed fragment plus the map and
gaps swapped out-of-band, and a plain form post with a redirect, so the page
works without JavaScript too.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from networks import selectors, services
from networks.ecomap import layout
from networks.forms import NetworkFilterForm, SupportSourceForm
from networks.gaps import find_gaps
from networks.models import SupportSource
from recovery_support.htmx import render_partials

TEMPLATE = "networks/network.html"


def _insights(network: selectors.Network) -> dict:
    """What the map and the gaps are drawn from."""
    return {
        "network": network,
        "today": timezone.localdate(),
        "ecomap": layout(network.sources),
        "gaps": find_gaps(network.sources, network.today),
    }


def _list_context(request: HttpRequest, network: selectors.Network) -> dict:
    """The filters and the list they choose."""
    filters = NetworkFilterForm(request.GET or None, auto_id="filter_%s")
    chosen = filters.values()
    return {
        "filters": filters,
        "sources": network.filtered(**chosen),
        "filtering": any(chosen.values()),
        "today": timezone.localdate(),
    }


def _add_initial(request: HttpRequest) -> dict:
    """What a gap's link asks the add form to start with (a kind of person to add)."""
    initial = {
        key: request.GET[param]
        for key, param in (("category", "add_category"), ("support_types", "add_support"))
        if request.GET.get(param)
    }
    if "support_types" in initial:
        initial["support_types"] = [initial["support_types"]]
    return initial


def _page_context(request: HttpRequest, network: selectors.Network, **extra) -> dict:
    initial = _add_initial(request)
    # The blank add form (17 fields) is drawn when it is asked for: by its button
    # (?add=1, or fetched with htmx), by a gap's link (a kind of person to add),
    # or to show what was typed again. Most visits to a long list add nobody.
    added = _just_added(request, network)
    wanted = "form" in extra or bool(initial) or "add" in request.GET or bool(added)
    context = {
        **_insights(network),
        **_list_context(request, network),
        "recently_removed": network.recently_removed,
        "add_form_wanted": wanted,
        "added_text": added,
        **extra,
    }
    if wanted and "form" not in extra:
        context["form"] = _add_form(initial, focus=bool(request.htmx))
    return context


def _added(source: SupportSource) -> str:
    return gettext("Added %(name)s.") % {"name": source.name}


def _just_added(request: HttpRequest, network: selectors.Network) -> str:
    """After adding someone without JavaScript (?added=<pk>): "Added …" above a fresh
    add form, where the page opens (#added)."""
    pk = request.GET.get("added", "")
    source = next((s for s in network.sources if str(s.pk) == pk), None)
    return _added(source) if source else ""


def _fragments(request: HttpRequest, names: list[str], context: dict, status: int = 200):
    return render_partials(request, TEMPLATE, names, context, status)


def _changed(
    request: HttpRequest, names: list[str], status_text: str, *, pk: int | None = None, **extra
) -> HttpResponse:
    """After a write: the changed fragment(s), then the map and gaps and a status
    line swapped out-of-band, all from one fresh read of the network."""
    network = selectors.network_for(request.user)
    context = {
        **_insights(network),
        "sources": network.sources,
        "status_text": status_text,
        "oob": True,
        **extra,
    }
    if pk is not None:
        context["source"] = network.find(pk)
    return _fragments(request, [*names, "insights", "status"], context)


@require_GET
@login_required
def network(request: HttpRequest) -> HttpResponse:
    if request.htmx and request.htmx.target == "add-source-form":  # its button: nothing read
        form = _add_form(_add_initial(request), focus=True)
        return _fragments(request, ["source-form"], {"form": form})
    network = selectors.network_for(request.user)
    if request.htmx and request.htmx.target == "source-list":  # the filters changed
        return _fragments(request, ["source-list"], _list_context(request, network))
    return render(request, TEMPLATE, _page_context(request, network))


def _add_form(initial: dict, *, focus: bool) -> SupportSourceForm:
    form = SupportSourceForm(initial=initial)
    if focus:  # opened by its button: the person goes on to type the name
        form.fields["name"].widget.attrs["autofocus"] = True
    return form


@require_POST
@login_required
def source_create(request: HttpRequest) -> HttpResponse:
    form = SupportSourceForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _fragments(request, ["source-form"], {"form": form}, status=422)
        context = _page_context(request, selectors.network_for(request.user), form=form)
        return render(request, TEMPLATE, context, status=422)
    source = services.source_create(owner=request.user, data=form.cleaned_data)
    # "Added …" where the member's eyes are: at the top of a fresh add form, focused
    # (autofocus) and scrolled to with htmx, where the page opens (#added) without.
    if not request.htmx:
        return redirect(f"{reverse('networks:network')}?added={source.pk}#added")
    response = _changed(
        request,
        ["source-list", "source-form"],
        _added(source),
        form=SupportSourceForm(),
        oob_form=True,
        added_text=_added(source),
    )
    response = retarget(response, "#source-list")
    return reswap(response, "outerHTML show:#added:top")


@require_GET
@login_required
def source_row(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('networks:network')}#source-{source.pk}")
    return _fragments(request, ["source-row"], {"source": source, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    if request.method == "GET":
        return _edit_response(request, _edit_form(source), source)
    form = _edit_form(copy.copy(source), request.POST)  # a 422 must not show unsaved values
    if not form.is_valid():
        return _edit_response(request, form, source, status=422)
    source = services.source_update(source=source, data=form.cleaned_data)
    return _row_changed(request, gettext("Saved %(name)s.") % {"name": source.name}, pk)


def _edit_form(source: SupportSource, data=None) -> SupportSourceForm:
    # Its own ids: the edit form sits in the page next to the add form.
    return SupportSourceForm(data, instance=source, auto_id=f"source{source.pk}_%s")


def _edit_response(request, form, source: SupportSource, status: int = 200) -> HttpResponse:
    context = {"form": form, "source": source, "standalone": not request.htmx}
    if request.htmx:
        return _fragments(request, ["source-form"], context, status=status)
    return render(request, "networks/source_edit.html", context, status=status)


@require_POST
@login_required
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    source = services.source_remove(source=selectors.source_for(request.user, pk))
    names = {"name": source.name}
    if not request.htmx:
        return _back_to_list(
            request, gettext("Removed %(name)s. You can undo this for an hour.") % names
        )
    text = gettext("Removed %(name)s.") % names
    return _changed(request, ["removed-row"], text, pk=pk)


@require_POST
@login_required
def source_restore(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk, include_removed=True)
    services.source_restore(source=source)
    return _row_changed(
        request, gettext("%(name)s is back in your network.") % {"name": source.name}, pk
    )


@require_POST
@login_required
def source_contact(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    services.contact_log(source=source)
    text = gettext("Noted: you were in touch with %(name)s today.") % {"name": source.name}
    return _row_changed(request, text, pk)


def _row_changed(request: HttpRequest, text: str, pk: int) -> HttpResponse:
    if not request.htmx:
        return _back_to_list(request, text, pk)
    return _changed(request, ["source-row"], text, pk=pk)


def _back_to_list(request: HttpRequest, text: str, pk: int | None = None) -> HttpResponse:
    messages.success(request, text)
    anchor = f"#source-{pk}" if pk else ""
    return redirect(f"{reverse('networks:network')}{anchor}")
