from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.network, name="network"),
    path("sources/", views.source_create, name="source-create"),
    path("sources/<int:pk>/", views.source_row, name="source-row"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source-edit"),
    path("sources/<int:pk>/delete/", views.source_delete, name="source-delete"),
    path("sources/<int:pk>/restore/", views.source_restore, name="source-restore"),
    path("sources/<int:pk>/contact/", views.source_contact, name="source-contact"),
]
