from django.urls import path

from boundaries.dashboard import agenda_views, agreement_views, client_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
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
    path("clients/", client_views.clients, name="clients"),
    path("clients/new/", client_views.client_add, name="client_add"),
    path("clients/import/", client_views.client_import, name="client_import"),
    path("clients/<int:client_id>/", client_views.client_detail, name="client"),
    path("clients/<int:client_id>/edit/", client_views.client_edit, name="client_edit"),
    path("clients/<int:client_id>/status/", client_views.client_status, name="client_status"),
    path(
        "clients/<int:client_id>/emergency-contact/",
        client_views.client_emergency,
        name="client_emergency",
    ),
    path("clients/<int:client_id>/reply/", client_views.client_reply, name="client_reply"),
    path(
        "clients/<int:client_id>/agreement/",
        agreement_views.agreement_edit,
        name="client_agreement",
    ),
    path(
        "clients/<int:client_id>/next-session/",
        agenda_views.client_next_session,
        name="client_next_session",
    ),
    path(
        "clients/<int:client_id>/agenda/<int:item_id>/discussed/",
        agenda_views.agenda_discussed,
        name="agenda_discussed",
    ),
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
