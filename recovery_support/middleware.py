from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

# What a professional or staff member without two-factor may still reach: setting it up,
# signing out, and help in a crisis.
TWO_FACTOR_SETUP_URLS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "need_help",
        "healthz",
    }
)


def require_two_factor(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Counselors see other people's health data, and staff reach the admin: they set
    up TOTP before anything else."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if _needs_two_factor(user) and not _is_setup_url(request):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                messages.info(
                    request,
                    "Counselor accounts use two-factor sign-in to protect the people who "
                    "share with you. It takes a minute to set up."
                    if user.is_professional
                    else "Staff accounts use two-factor sign-in to protect everyone here. "
                    "It takes a minute to set up.",
                )
                setup_url = reverse("mfa_activate_totp")
                if request.htmx:
                    return HttpResponseClientRedirect(setup_url)
                return redirect(setup_url)
        return get_response(request)

    return middleware


def _needs_two_factor(user) -> bool:
    return user.is_authenticated and (user.is_professional or user.is_staff or user.is_superuser)


def _is_setup_url(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).url_name in TWO_FACTOR_SETUP_URLS
    except Resolver404:
        return False


def no_store(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Pages here carry health data: never let a browser or proxy keep a copy.

    Static files are served by WhiteNoise before this runs and keep their
    long-lived caching.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


def member_time_zone(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Dates and times on every page are the signed-in person's own local ones."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                timezone.activate(ZoneInfo(request.user.time_zone))
            except (ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware
