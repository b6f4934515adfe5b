from django.urls import path

from boundaries.platform_audit import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:audit_id>/", views.detail, name="detail"),
    path("<int:audit_id>/report.<str:fmt>", views.download, name="download"),
]
