from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    name = "signaldesk.proactive"
    label = "proactive"
    verbose_name = "Proactive support and recalls"
