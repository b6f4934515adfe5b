from django.urls import path

from boundaries.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/<int:notice_id>/seen/", views.notice_seen, name="notice_seen"),
    path("messages/<int:message_id>/", views.message_detail, name="message"),
    path("messages/<int:message_id>/content/", views.message_content, name="message_content"),
    path(
        "messages/<int:message_id>/attachments/<int:number>/",
        views.message_attachment,
        name="message_attachment",
    ),
    path("messages/<int:message_id>/acknowledge/", views.acknowledge_alert, name="acknowledge"),
    path("messages/<int:message_id>/act/", views.act_on_alert, name="act"),
    path("messages/<int:message_id>/reviewed/", views.mark_reviewed, name="reviewed"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/portal-link/", views.send_portal_link, name="portal_link"),
    path("clients/<int:client_id>/messages/", views.secure_messages, name="secure_messages"),
    path("clients/<int:client_id>/files/", views.client_files, name="client_files"),
    path("clients/<int:client_id>/export.zip", views.client_export, name="client_export"),
    path("clients/<int:client_id>/files/<str:object_id>/", views.client_file, name="client_file"),
    path("next-sessions/", views.agenda, name="agenda"),
    path("policy/", views.policy, name="policy"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("insights/", views.insights, name="insights"),
    path("compose/", views.compose, name="compose"),
    path("compose/check/", views.compose_check, name="compose_check"),
]
