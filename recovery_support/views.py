import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from redis import Redis
from redis.exceptions import RedisError

from networks import selectors as network_selectors
from plans import selectors as plan_selectors
from recovery_support import fragments
from sharing import selectors as sharing_selectors

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "recovery_support/home.html")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Drawn from the fragment cache while the member's rows stay as they were (one
    query tells); the rows are read only when it has to be drawn again."""
    user = request.user
    network = SimpleLazyObject(lambda: network_selectors.network_for(user))
    return render(
        request,
        "recovery_support/dashboard.html",
        {
            "dashboard_version": fragments.changes_version(user),
            "network": network,
            "summary": SimpleLazyObject(lambda: plan_selectors.dashboard_for(user, network)),
            "encouragements": SimpleLazyObject(lambda: sharing_selectors.encouragements_for(user)),
            "grants_held": SimpleLazyObject(lambda: sharing_selectors.grants_held(user)),
        },
    )


@require_GET
def need_help(request: HttpRequest) -> HttpResponse:
    crisis_contacts = (
        network_selectors.crisis_contacts_for(request.user) if request.user.is_authenticated else []
    )
    return render(
        request,
        "recovery_support/need_help.html",
        {"crisis_lines": settings.CRISIS_LINES, "crisis_contacts": crisis_contacts},
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `docker compose`: 200 only when PostgreSQL and Redis answer."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse(
        {name: "ok" if ok else "down" for name, ok in checks.items()}, status=status
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("healthz: database is not answering", exc_info=True)
        return False


def _redis_ok() -> bool:
    try:
        with Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        ) as client:
            return bool(client.ping())
    except (RedisError, ValueError):
        logger.warning("healthz: Redis is not answering", exc_info=True)
        return False
