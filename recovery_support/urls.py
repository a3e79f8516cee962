from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from recovery_support import account, help_now, languages, pwa, views

# The admin signs in through allauth: same rate limits, same two-factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("start-my-plan/", views.start_own_plan, name="start-own-plan"),
    path("dashboard/day-count/", account.recovery_start, name="recovery-start"),
    path("dashboard/day-count/restart/", account.recovery_restart, name="recovery-restart"),
    path("help/", help_now.need_help, name="need_help"),
    path("help/ask/", help_now.help_ask, name="help-ask"),
    path("help/slip/", help_now.help_slip, name="help-slip"),
    path("help/asked/<int:pk>/", help_now.help_asked, name="help-asked"),
    path("", include(pwa.urlpatterns)),  # before allauth's: sign-out clears the card
    path("notifications/", include("recovery_support.push.urls")),
    path("network/", include("networks.urls")),
    path("plan/", include("plans.urls")),
    path("", include("sharing.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/about-you/", account.details, name="account-details"),
    # Under accounts/ beside the account page: like it, tested in its own file
    # (tests/recovery_support/test_language.py), not in the access matrix.
    path("accounts/language/", languages.choose_language, name="set-language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
