"""The URLs a practice's own domain serves: its public site and feeds, nothing else.

``site.hosts.PracticeHostMiddleware`` routes a request on a registered practice
domain here (``request.urlconf``). Sign-in, password reset, the dashboard, the
portal, calendar feeds and webhooks exist only on the installation's own host
names (``BOUNDARIES_ALLOWED_HOSTS``): on a practice's domain they are a 404, so
whoever runs that domain never sees a sign-in form, a token or a session cookie.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("boundaries.site.urls")),
]
