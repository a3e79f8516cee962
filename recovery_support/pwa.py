"""The installable app: its manifest, its service worker (static/js/sw.js, served from
the root so it may control every page), the page shown without a network, and the
crisis card a member may keep on their device (the worker serves it offline once
the member's browser has stored it; static/js/pwa.js stores and removes it)."""

from functools import cache

from allauth.account.views import logout as allauth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path
from django.utils.translation import get_language, gettext, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from networks import selectors as network_selectors
from plans import selectors as plan_selectors
from recovery_support.crisis_lines import crisis_lines_for

THEME = "#1d5c63"
BACKGROUND = "#f6f4ef"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"})
    data = {
        "name": gettext("Recovery Support"),
        "short_name": pgettext("the app's short name", "Recovery"),
        "description": gettext("Your recovery plan, your people, and help when you need it."),
        "lang": get_language(),
        "id": "/",
        "start_url": "/dashboard/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": icons,
        "shortcuts": [{"name": gettext("Need help now"), "url": "/help/"}],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    # Private: its words are in the reader's language (their cookie or their account).
    response["Cache-Control"] = "private, max-age=3600"
    return response


@cache
def _worker_source() -> bytes:
    with open(finders.find("js/sw.js"), "rb") as f:
        return f.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker from the root, so its scope is the whole site; never cached by the
    browser's HTTP cache, so a new version reaches everyone at their next visit."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Stored by the worker when it installs (without the person's cookies), and shown
    when a page cannot be reached. Nobody's data: the national lines only."""
    return render(request, "recovery_support/offline.html", {"crisis_lines": crisis_lines_for()})


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def crisis_card(request: HttpRequest) -> HttpResponse:
    """The member's crisis card: their people for a crisis, their warning signs with
    what they will do, and the national lines. The browser keeps a copy only when
    the member asks it to (static/js/pwa.js); the HTTP cache never does."""
    user = request.user
    context = {
        "crisis_lines": crisis_lines_for(user),
        "crisis_contacts": network_selectors.crisis_contacts_for(user),
        **plan_selectors.help_plan_for(user),
    }
    return render(request, "recovery_support/crisis_card.html", context)


def logout(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """allauth's sign-out, telling the browser to drop what it cached for the site
    (the crisis card too, where the browser counts it; static/js/pwa.js and the
    worker remove the card themselves as well)."""
    response = allauth_logout(request, *args, **kwargs)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache"'
    return response


urlpatterns = [
    path("manifest.webmanifest", manifest, name="web-manifest"),
    path("sw.js", service_worker, name="service-worker"),
    path("offline/", offline, name="offline"),
    path("crisis-card/", crisis_card, name="crisis-card"),
    path("accounts/logout/", logout, name="account_logout"),
]
