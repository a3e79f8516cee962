from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from recovery_support import views

# The admin signs in through allauth: same rate limits, same two-factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("start-my-plan/", views.start_own_plan, name="start-own-plan"),
    path("help/", views.need_help, name="need_help"),
    path("network/", include("networks.urls")),
    path("plan/", include("plans.urls")),
    path("", include("sharing.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
