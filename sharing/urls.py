from django.urls import path

from sharing import client_views, help_views, my_data, views
from sharing.models import Role

app_name = "sharing"

urlpatterns = [
    # The member's side
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/invite/", views.invite, name="invite"),
    path("sharing/invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation-cancel"),
    path("sharing/access/<int:pk>/", views.grant_settings, name="grant-settings"),
    path("sharing/access/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("sharing/access/<int:pk>/preview/", client_views.grant_preview, name="grant-preview"),
    path("sharing/log/", views.access_log, name="access-log"),
    path("sharing/messages/<int:pk>/reply/", views.message_reply, name="message-reply"),
    path("sharing/comments/<int:pk>/answer/", views.comment_answer, name="comment-answer"),
    path("sharing/notes/", views.notes_page, name="notes"),
    path("sharing/notes/read/", views.notes_read, name="notes-read"),
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
    path(
        "clients/<int:member_id>/comments/<int:pk>/reply/",
        client_views.comment_reply,
        name="comment-reply",
    ),
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
    path(
        "supporting/<int:member_id>/help/<int:pk>/claim/",
        help_views.help_claim,
        name="help-claim",
    ),
    path(
        "supporting/<int:member_id>/help/<int:pk>/hand-back/",
        help_views.help_hand_back,
        name="help-hand-back",
    ),
    path(
        "supporting/<int:member_id>/lessons/<slug:slug>/read/",
        help_views.lesson_read,
        name="lesson-read",
    ),
    # Practical help, the member's side
    path("help-requests/", help_views.help_requests_page, name="help-requests"),
    path("help-requests/new/", help_views.help_request_create, name="help-request-create"),
    path(
        "help-requests/<int:pk>/cancel/",
        help_views.help_request_cancel,
        name="help-request-cancel",
    ),
    path("help-requests/<int:pk>/thank/", help_views.help_request_thank, name="help-request-thank"),
    # Everyone's private calendar feed
    path("calendar/", help_views.calendar, name="calendar"),
    path("calendar/new/", help_views.calendar_new, name="calendar-new"),
    path("calendar/settings/", help_views.calendar_settings, name="calendar-settings"),
    path("calendar/revoke/", help_views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", help_views.calendar_ics, name="calendar-ics"),
    # The member's own data
    path("my-data/", my_data.my_data, name="my-data"),
    path("my-data/export.json", my_data.export_json, name="export-json"),
    path("my-data/export/", my_data.export_page, name="export-page"),
    path("my-data/delete/", my_data.delete_account, name="delete-account"),
]
