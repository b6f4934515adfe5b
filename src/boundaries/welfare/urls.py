from django.urls import path

from boundaries.welfare import views

app_name = "welfare"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_check, name="open"),
    path("<int:check_id>/", views.detail, name="detail"),
    path("<int:check_id>/add/<str:kind>/", views.add_entry, name="add"),
    path("<int:check_id>/export.<str:fmt>", views.export, name="export"),
]
