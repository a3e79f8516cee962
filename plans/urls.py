from django.urls import path

from plans import checkin_views, schedule_views, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_home, name="home"),
    path("step/<int:step>/", views.step, name="step"),
    path("step/1/sources/", views.add_source, name="add-source"),
    path("asks/<int:pk>/", views.ask_save, name="ask"),
    path("asks/<int:pk>/expectations/", views.expectations_save, name="expectations"),
    path("asks/<int:pk>/contact/", views.cadence_save, name="cadence"),
    path("first-day/", views.first_day_save, name="first-day"),
    path("items/<slug:kind>/", views.item_create, name="item-create"),
    path("items/<slug:kind>/<int:pk>/", views.item_edit, name="item-edit"),
    path("items/<slug:kind>/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("activate/", views.activate, name="activate"),
    path("print/", views.print_view, name="print"),
    path("changes/", views.changes, name="changes"),
    # Check-ins (plans/checkin_views.py) and their reminders (plans/schedule_views.py)
    path("checkin/", checkin_views.checkin, name="checkin"),
    path("checkin/history/", checkin_views.history, name="history"),
    path("checkin/schedule/", schedule_views.schedule, name="schedule"),
    path("checkin/link/<str:token>/", schedule_views.reminder_link, name="reminder-link"),
]
