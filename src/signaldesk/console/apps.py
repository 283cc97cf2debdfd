from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "signaldesk.console"
    label = "console"
    verbose_name = "Agent console"
