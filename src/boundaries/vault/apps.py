from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "boundaries.vault"
    verbose_name = "Vault: encrypted files"
