from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "signaldesk.core"
    label = "core"
    verbose_name = "Core"
