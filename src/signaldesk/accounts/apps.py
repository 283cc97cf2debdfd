from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "signaldesk.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and teams"
