from django.urls import path

from boundaries.accounts import password_reset, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.second_factor, name="second_factor"),
    path("setup/authenticator/", views.enroll, name="enroll"),
    path("setup/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("confirm/", views.reauth, name="reauth"),
    path("logout/", views.logout_view, name="logout"),
    path("password/forgotten/", password_reset.RequestResetView.as_view(), name="password_reset"),
    path("password/sent/", password_reset.RequestSentView.as_view(), name="password_reset_sent"),
    path(
        "password/new/<uidb64>/<token>/",
        password_reset.ChooseNewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/changed/", password_reset.ResetDoneView.as_view(), name="password_reset_done"),
]
