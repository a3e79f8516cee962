from django.urls import path

from recovery_support.push import views

app_name = "push"
urlpatterns = [
    path("", views.devices, name="devices"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("test/", views.test, name="test"),
    path("choices/", views.choices, name="choices"),
]
