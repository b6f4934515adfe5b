from django.urls import path

from boundaries.dashboard import (
    agenda_views,
    agreement_views,
    audit_views,
    calendar_views,
    client_views,
    policy_views,
    views,
)
from boundaries.setup import settings_views
from boundaries.setup import views as setup_views

app_name = "dashboard"
urlpatterns = [
    path("", setup_views.unless_setting_up(views.home), name="home"),
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
    # First-run setup (boundaries.setup.views), one URL a step.
    path("setup/", setup_views.start, name="setup"),
    path("setup/account/", setup_views.account, name="setup_account"),
    path("setup/practice/", setup_views.practice, name="setup_practice"),
    path("setup/policy/", setup_views.policy, name="setup_policy"),
    path("setup/policy/check/", setup_views.policy_check, name="setup_policy_check"),
    path("setup/addresses/", setup_views.addresses, name="setup_addresses"),
    path("setup/alerts/", setup_views.alerts, name="setup_alerts"),
    path("setup/publish/", setup_views.publish, name="setup_publish"),
    # Settings (boundaries.setup.settings_views).
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/practice/", settings_views.practice_details, name="settings_practice"),
    path("settings/addresses/", settings_views.add_route, name="settings_add_route"),
    path(
        "settings/addresses/<int:route_id>/remove/",
        settings_views.remove_route,
        name="settings_remove_route",
    ),
    path("settings/alerts/", settings_views.alert_contacts, name="settings_alerts"),
    path("settings/alerts/test/", settings_views.test_alert, name="settings_test_alert"),
    path("settings/recovery-codes/", settings_views.recovery_codes, name="settings_recovery_codes"),
    path("settings/authenticator/", settings_views.authenticator, name="settings_authenticator"),
    path("settings/sessions/", settings_views.sign_out_others, name="settings_sign_out_others"),
    path("settings/team/", settings_views.add_therapist, name="settings_add_therapist"),
    path(
        "settings/team/<int:therapist_id>/role/", settings_views.set_role, name="settings_set_role"
    ),
]
