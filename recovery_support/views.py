import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from redis import Redis
from redis.exceptions import RedisError

from networks import selectors as network_selectors
from plans import selectors as plan_selectors
from recovery_support import account
from sharing import notes
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
    """Everyone's home after signing in. Someone without a recovery space of their own
    has the people they counsel or support for a home instead."""
    user = request.user
    if not user.has_own_space:
        return redirect("sharing:clients" if user.is_professional else "sharing:supporting-list")
    network = network_selectors.network_for(user)
    summary = plan_selectors.dashboard_for(user, network)
    encouragements, grants_held = sharing_selectors.encouragements_and_grants_held(user)
    return render(
        request,
        "recovery_support/dashboard.html",
        {
            "network": network,
            "summary": summary,
            **account.day_count_context(user),
            # Reads nothing until drawn; nothing at all without a plan to write on.
            "notes": notes.unread_for(user, has_plan=summary.plan is not None),
            "encouragements": encouragements,
            "grants_held": grants_held,
        },
    )


@require_POST
@login_required
def start_own_plan(request: HttpRequest) -> HttpResponse:
    """A supporter or counselor starts a recovery space of their own: from now on they
    have the member's pages too (network, plan, check-ins, sharing)."""
    user = request.user
    if not user.has_own_space:
        user.has_own_space = True
        user.save(update_fields=["has_own_space"])
        messages.success(
            request,
            gettext("Your own space is ready. Everything in it stays private unless you share it."),
        )
    return redirect("plans:home")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `docker compose`: 200 only when PostgreSQL and Redis answer.
    Anyone may ask, so the answer is only up or down; which one failed goes to the log."""
    up = all([_database_ok(), _redis_ok()])  # both asked, so the log names each one down
    return JsonResponse({"status": "up" if up else "down"}, status=200 if up else 503)


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
