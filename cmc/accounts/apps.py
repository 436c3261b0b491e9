from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cmc.accounts"
    label = "accounts"
