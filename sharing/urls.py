from django.urls import path

from sharing import client_views, my_data, views
from sharing.models import Role

app_name = "sharing"

urlpatterns = [
    # The member's side
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/invite/", views.invite, name="invite"),
    path("sharing/invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation-cancel"),
    path("sharing/access/<int:pk>/", views.grant_settings, name="grant-settings"),
    path("sharing/access/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("sharing/log/", views.access_log, name="access-log"),
    path("sharing/comments/<int:pk>/answer/", views.comment_answer, name="comment-answer"),
    # The invited person's side
    path("invite/", views.invitation, name="invitation"),
    path("invite/accept/", views.invitation_answer, {"answer": "accept"}, name="invitation-accept"),
    path(
        "invite/decline/", views.invitation_answer, {"answer": "decline"}, name="invitation-decline"
    ),
    path("invite/<str:token>/", views.invitation_open, name="invitation-open"),
    # Counselors and supporters
    path("clients/", client_views.clients, name="clients"),
    path("clients/<int:member_id>/", client_views.client, name="client"),
    path("clients/<int:member_id>/comments/", client_views.comment_add, name="comment-add"),
    path("clients/<int:member_id>/review/", client_views.review, name="review"),
    path(
        "clients/<int:member_id>/stop/",
        client_views.stop,
        {"role": Role.COUNSELOR},
        name="client-stop",
    ),
    path("supporting/", client_views.supporting_list, name="supporting-list"),
    path("supporting/<int:member_id>/", client_views.supporting, name="supporting"),
    path("supporting/<int:member_id>/encourage/", client_views.encourage, name="encourage"),
    path(
        "supporting/<int:member_id>/stop/",
        client_views.stop,
        {"role": Role.SUPPORTER},
        name="supporting-stop",
    ),
    # The member's own data
    path("my-data/", my_data.my_data, name="my-data"),
    path("my-data/export.json", my_data.export_json, name="export-json"),
    path("my-data/export/", my_data.export_page, name="export-page"),
    path("my-data/delete/", my_data.delete_account, name="delete-account"),
]
