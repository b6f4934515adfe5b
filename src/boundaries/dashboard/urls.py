from django.urls import path

from boundaries.dashboard import audit_views, calendar_views, policy_views, views

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
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/portal-link/", views.send_portal_link, name="portal_link"),
    path("clients/<int:client_id>/messages/", views.secure_messages, name="secure_messages"),
    path("clients/<int:client_id>/files/", views.client_files, name="client_files"),
    path("clients/<int:client_id>/export.zip", views.client_export, name="client_export"),
    path("clients/<int:client_id>/files/<str:object_id>/", views.client_file, name="client_file"),
    path("next-sessions/", views.agenda, name="agenda"),
    path("policy/", policy_views.policy, name="policy"),
    path("policy/edit/", policy_views.policy_edit, name="policy_edit"),
    path("policy/check/", policy_views.policy_check, name="policy_check"),
    path(
        "policy/versions/<int:number>/diff/", policy_views.version_diff, name="policy_version_diff"
    ),
    path("policy/acknowledgements/", policy_views.acknowledgements, name="policy_acknowledgements"),
    path("policy/remind/", policy_views.remind, name="policy_remind"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
    path("calendar/subscribe/", calendar_views.calendar_subscribe, name="calendar_subscribe"),
    path(
        "calendar/subscriptions/<int:subscription_id>/refresh/",
        calendar_views.subscription_refresh,
        name="calendar_subscription_refresh",
    ),
    path(
        "calendar/subscriptions/<int:subscription_id>/remove/",
        calendar_views.subscription_remove,
        name="calendar_subscription_remove",
    ),
    path("calendar/import/", calendar_views.calendar_import, name="calendar_import"),
    path(
        "calendar/events/<int:event_id>/match/",
        calendar_views.event_match,
        name="calendar_event_match",
    ),
    path(
        "calendar/events/<int:event_id>/ignore/",
        calendar_views.event_ignore,
        name="calendar_event_ignore",
    ),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/verify/", audit_views.verify_chain, name="audit_verify"),
    path("audit/export.csv", audit_views.export_csv, name="audit_export"),
    path("insights/", views.insights, name="insights"),
    path("compose/", views.compose, name="compose"),
    path("compose/check/", views.compose_check, name="compose_check"),
]
