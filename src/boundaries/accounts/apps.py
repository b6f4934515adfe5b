from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "boundaries.accounts"
    verbose_name = "Sign-in: passwords, TOTP, recovery codes, sessions"
