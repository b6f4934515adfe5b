from django.urls import path

from boundaries.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("signin/<str:token>/", views.sign_in, name="signin"),
    path("send/", views.send, name="send"),
    path("preferences/", views.preferences, name="preferences"),
    path("agenda/", views.agenda, name="agenda"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("reminders/<int:reminder_id>/", views.answer_reminder, name="answer_reminder"),
    path("files/", views.files, name="files"),
    path("files/<str:object_id>/", views.download, name="download"),
]
