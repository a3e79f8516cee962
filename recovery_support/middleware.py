import contextlib
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from recovery_support.languages import locale_of
from recovery_support.sql_once import STAND_IN_ID, SqlOnce

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
        "crisis-card",
        "offline",
        "service-worker",
        "web-manifest",
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
        if (
            _needs_two_factor(user)
            and not _TOTP_OF.rows(user_id=user.pk)
            and not _is_setup_url(request)
        ):
            messages.info(
                request,
                gettext(
                    "Counselor accounts use two-factor sign-in to protect the people who "
                    "share with you. It takes a minute to set up."
                )
                if user.is_professional
                else gettext(
                    "Staff accounts use two-factor sign-in to protect everyone here. "
                    "It takes a minute to set up."
                ),
            )
            setup_url = reverse("mfa_activate_totp")
            if request.htmx:
                return HttpResponseClientRedirect(setup_url)
            return redirect(setup_url)
        return get_response(request)

    return middleware


LAST_ACTIVE_KEY = "last_active_at"


def sign_out_idle_professionals(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A counselor's or staff member's session ends after settings.PROFESSIONAL_IDLE_TIMEOUT
    seconds without a request: a screen left open in a shared office shows no one's data."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if _needs_two_factor(request.user):
            now = time.time()
            last_active = request.session.get(LAST_ACTIVE_KEY, now)
            if now - last_active > settings.PROFESSIONAL_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    gettext(
                        "We signed you out after %(minutes)s minutes without activity, to "
                        "keep the people you support safe. Please sign in again."
                    )
                    % {"minutes": settings.PROFESSIONAL_IDLE_TIMEOUT // 60},
                )
                # Back, once signed in, to the page they were on (not to an htmx fragment).
                here = request.htmx.current_url_abs_path if request.htmx else None
                sign_in = redirect_to_login(here or request.get_full_path())
                if request.htmx:
                    return HttpResponseClientRedirect(sign_in.url)
                return sign_in
            if LAST_ACTIVE_KEY not in request.session or now - last_active > 60:
                request.session[LAST_ACTIVE_KEY] = now  # a session write a minute at most
        return get_response(request)

    return middleware


# Asked on every page a counselor opens: its SQL built once (Django took 0.6 ms of
# CPU to build this one-line query, more than the rest of the check).
_TOTP_OF = SqlOnce(
    lambda user_id: Authenticator.objects.filter(
        user_id=user_id, type=Authenticator.Type.TOTP
    ).values_list("pk", flat=True)[:1],
    user_id=STAND_IN_ID,
)


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
        zone = None
        if request.user.is_authenticated:
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                zone = ZoneInfo(request.user.time_zone)
        # Only for this request: a zone left active would draw the next thing this
        # thread renders (an email in a test, a task in an eager worker) in it.
        with timezone.override(zone):
            return get_response(request)

    return middleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's: the language of the footer's choice (a cookie), else the browser's
    Accept-Language, for this request. Then the thread goes back to no language at all,
    as member_time_zone does with the zone: a language left active would draw the next
    thing this thread renders (an email in a test, a task in an eager worker) in it."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().__call__(request)
        finally:
            translation.deactivate()


def account_language(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A signed-in person reads in the language stored on their account, with their
    country's formats ("es-us"), whatever their browser says. Runs inside
    LocaleMiddleware, which then names this language in Content-Language."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            code = locale_of(request.user)
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return get_response(request)

    return middleware
