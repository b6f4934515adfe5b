from django.urls import path

from boundaries.reminders import views

app_name = "reminders"
urlpatterns = [
    path("<str:token>/", views.answer_page, name="answer"),
]
