"""Webhooks of the channel providers. CSRF-exempt: each is authenticated by its signature."""

from django.urls import path

from boundaries.channels.meta.views import meta_webhook
from boundaries.channels.sms.views import twilio_sms

app_name = "channels"

urlpatterns = [
    path("hooks/twilio/sms", twilio_sms, name="twilio_sms"),
    path("hooks/meta", meta_webhook, name="meta_webhook"),
]
