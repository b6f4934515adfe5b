from django.urls import include, path

from boundaries.dashboard.calendar_views import calendar_feed
from boundaries.ops.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("account/", include("boundaries.accounts.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("portal/", include("boundaries.portal.urls")),
    path("r/", include("boundaries.reminders.urls")),
    path("dashboard/welfare/", include("boundaries.welfare.urls")),
    path("dashboard/exports/", include("boundaries.platform_audit.urls")),
    path("dashboard/", include("boundaries.dashboard.urls")),
    path("", include("boundaries.channels.urls")),
    path("", include("boundaries.site.urls")),
]
